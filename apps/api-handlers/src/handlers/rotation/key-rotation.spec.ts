/**
 * The rotation steps against a Secrets Manager whose staging labels behave as on AWS,
 * played by aws-sdk-client-mock: there is no Secrets Manager emulator in this project (the
 * local cloud's runs the built function end to end, in tools/integration-tests). The mock
 * lets these tests replay retries and races that a real service produces only by chance.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { NO_TRACING } from '@tap/lambda-runtime';
import { recordingMetrics, type RecordingMetrics } from '../../../test/support/recording-metrics';
import type { RotationHandler, RotationStep } from './key-rotation';
import {
  API_KEY_PATTERN,
  createKeyRotation,
  generateApiKey,
  ROTATION_STEPS,
  RotationError,
} from './key-rotation';

const SECRET_ARN =
  'arn:aws:secretsmanager:us-west-2:123456789012:secret:tap-application-secrets-test-AbCdEf';
const OLD_KEY = 'OldKey0123456789OldKey0123456789OldKey01';

/** One version of the secret: its value (none while pending) and labels. */
interface Version {
  value?: string;
  stages: string[];
}

/**
 * A secret with Secrets Manager's label rules, behind the mocked client: a label sits on
 * one version; moving AWSCURRENT hands AWSPREVIOUS to the former current version.
 */
class StagedSecret {
  readonly versions = new Map<string, Version>();
  rotationEnabled = true;

  constructor(initialValue: string) {
    this.versions.set('v-initial', { value: initialValue, stages: ['AWSCURRENT'] });
  }

  /** What RotateSecret does before invoking the function: AWSPENDING on a new version id. */
  startRotation(token: string): void {
    this.remove('AWSPENDING');
    this.versions.set(token, { stages: ['AWSPENDING'] });
  }

  holder(stage: string): [string, Version] | undefined {
    return [...this.versions].find(([, version]) => version.stages.includes(stage));
  }

  valueOf(stage: string): unknown {
    const value = this.holder(stage)?.[1].value;
    return value === undefined ? undefined : JSON.parse(value);
  }

  remove(stage: string): void {
    for (const version of this.versions.values()) {
      version.stages = version.stages.filter((label) => label !== stage);
    }
  }

  move(stage: string, to: string): void {
    const former = this.holder(stage);
    this.remove(stage);
    this.versions.get(to)?.stages.push(stage);
    if (stage === 'AWSCURRENT' && former && former[0] !== to) {
      this.remove('AWSPREVIOUS');
      former[1].stages.push('AWSPREVIOUS');
    }
  }
}

const notFound = (message: string) =>
  new ResourceNotFoundException({ $metadata: { httpStatusCode: 400 }, message });

const secretsManager = mockClient(SecretsManagerClient);

/** Routes the mocked client's calls to `secret`. */
function serve(secret: StagedSecret): void {
  secretsManager.on(DescribeSecretCommand).callsFake(() => ({
    ARN: SECRET_ARN,
    RotationEnabled: secret.rotationEnabled,
    VersionIdsToStages: Object.fromEntries(
      [...secret.versions].map(([id, version]) => [id, [...version.stages]]),
    ),
  }));
  secretsManager.on(GetSecretValueCommand).callsFake((input) => {
    const [id, version] =
      [...secret.versions].find(
        ([candidate, { stages }]) =>
          (input.VersionId === undefined || candidate === input.VersionId) &&
          stages.includes(input.VersionStage ?? 'AWSCURRENT'),
      ) ?? [];
    if (id === undefined || version?.value === undefined) throw notFound('no such value');
    return { ARN: SECRET_ARN, VersionId: id, SecretString: version.value };
  });
  secretsManager.on(PutSecretValueCommand).callsFake((input) => {
    const token = String(input.ClientRequestToken);
    const existing = secret.versions.get(token);
    if (existing?.value !== undefined && existing.value !== input.SecretString) {
      throw new ResourceExistsException({ $metadata: {}, message: 'different value' });
    }
    secret.versions.set(token, { value: input.SecretString, stages: existing?.stages ?? [] });
    for (const stage of input.VersionStages ?? ['AWSCURRENT']) secret.move(stage, token);
    return { ARN: SECRET_ARN, VersionId: token };
  });
  secretsManager.on(UpdateSecretVersionStageCommand).callsFake((input) => {
    const stage = String(input.VersionStage);
    const holder = secret.holder(stage)?.[0];
    if (input.RemoveFromVersionId !== undefined && holder !== input.RemoveFromVersionId) {
      throw new Error(`${stage} is not on ${input.RemoveFromVersionId}`);
    }
    if (input.MoveToVersionId === undefined) secret.remove(stage);
    else secret.move(stage, input.MoveToVersionId);
    return { ARN: SECRET_ARN };
  });
}

let secret: StagedSecret;
let metrics: RecordingMetrics;
let rotate: RotationHandler;
let token: string;

const step = (Step: RotationStep, ClientRequestToken = token) =>
  rotate({ Step, SecretId: SECRET_ARN, ClientRequestToken });

const runAllSteps = async (): Promise<void> => {
  for (const name of ROTATION_STEPS) await step(name);
};

const calls = (command: Parameters<typeof secretsManager.commandCalls>[0]) =>
  secretsManager.commandCalls(command).map((call) => call.args[0].input);

beforeEach(() => {
  secretsManager.reset();
  secret = new StagedSecret(JSON.stringify({ apiKey: OLD_KEY }));
  serve(secret);
  metrics = recordingMetrics();
  rotate = createKeyRotation({
    client: new SecretsManagerClient({ region: 'us-west-2' }),
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    tracing: NO_TRACING,
  });
  token = randomUUID();
  secret.startRotation(token);
});

describe('a rotation of the API key', () => {
  it('makes a new 40-character key current and keeps the old one as AWSPREVIOUS', async () => {
    await runAllSteps();

    const current = secret.valueOf('AWSCURRENT') as { apiKey: string };
    expect(current.apiKey).toMatch(API_KEY_PATTERN);
    expect(current.apiKey).not.toBe(OLD_KEY);
    expect(secret.holder('AWSCURRENT')?.[0]).toBe(token);
    expect(secret.valueOf('AWSPREVIOUS')).toEqual({ apiKey: OLD_KEY });
    expect(secret.holder('AWSPENDING')).toBeUndefined();
    expect(calls(PutSecretValueCommand)).toEqual([
      {
        SecretId: SECRET_ARN,
        ClientRequestToken: token,
        SecretString: JSON.stringify(current),
        VersionStages: ['AWSPENDING'],
      },
    ]);
  });

  it('keeps the secret’s other fields', async () => {
    secret = new StagedSecret(JSON.stringify({ apiKey: OLD_KEY, note: 'kept' }));
    serve(secret);
    secret.startRotation(token);

    await runAllSteps();

    expect(secret.valueOf('AWSCURRENT')).toEqual({ apiKey: expect.any(String), note: 'kept' });
  });

  it('ends in the same state when Secrets Manager retries every step', async () => {
    for (const name of ROTATION_STEPS) {
      await step(name);
      await step(name);
    }

    expect(secret.valueOf('AWSPREVIOUS')).toEqual({ apiKey: OLD_KEY });
    expect(secret.holder('AWSCURRENT')?.[0]).toBe(token);
    expect(calls(PutSecretValueCommand)).toHaveLength(1);
    expect(
      calls(UpdateSecretVersionStageCommand).filter((input) => input.VersionStage === 'AWSCURRENT'),
    ).toEqual([
      {
        SecretId: SECRET_ARN,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        RemoveFromVersionId: 'v-initial',
      },
    ]);
  });

  it('rotates again with a new token: the first key is then gone', async () => {
    await runAllSteps();
    const second = (secret.valueOf('AWSCURRENT') as { apiKey: string }).apiKey;
    token = randomUUID();
    secret.startRotation(token);

    await runAllSteps();

    expect(secret.valueOf('AWSPREVIOUS')).toEqual({ apiKey: second });
    const labelled = [...secret.versions.values()].filter((version) => version.stages.length > 0);
    expect(labelled.map((version) => JSON.parse(version.value ?? '{}').apiKey)).not.toContain(
      OLD_KEY,
    );
  });

  it('completes a finishSecret that was interrupted between its two label updates', async () => {
    await step('createSecret');
    secret.move('AWSCURRENT', token); // the first update landed, then the invocation died

    await step('finishSecret');

    expect(secret.versions.get(token)?.stages).toEqual(['AWSCURRENT']);
  });

  it('keeps the key a concurrent createSecret put first', async () => {
    await step('createSecret');
    const first = secret.valueOf('AWSPENDING');
    // A second attempt that checked before the first one's put, and puts another key.
    secretsManager
      .on(GetSecretValueCommand, { VersionId: token })
      .rejectsOnce(notFound('not yet'))
      .callsFake(() => ({ SecretString: JSON.stringify(first) }));

    await expect(step('createSecret')).resolves.toBeUndefined();
    expect(secret.valueOf('AWSPENDING')).toEqual(first);
  });
});

describe('the checks before every step', () => {
  it('refuses a secret without rotation enabled', async () => {
    secret.rotationEnabled = false;

    await expect(step('createSecret')).rejects.toThrow(
      new RotationError(`Secret ${SECRET_ARN} is not enabled for rotation`),
    );
    expect(calls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('refuses a token that is not a version of the secret', async () => {
    await expect(step('createSecret', randomUUID())).rejects.toThrow(/has no stage for rotation/);
  });

  it('refuses a version that is not staged AWSPENDING', async () => {
    await runAllSteps();
    const previousToken = token;
    token = randomUUID();
    secret.startRotation(token);
    await runAllSteps();

    // The first rotation's version is AWSPREVIOUS now.
    await expect(step('testSecret', previousToken)).rejects.toThrow(/is not staged AWSPENDING/);
  });

  it.each([
    ['an unknown step', { Step: 'deleteSecret', SecretId: SECRET_ARN, ClientRequestToken: 't' }],
    ['no SecretId', { Step: 'createSecret', ClientRequestToken: 't' }],
    ['no token', { Step: 'createSecret', SecretId: SECRET_ARN, ClientRequestToken: '' }],
  ])('refuses an event with %s before calling Secrets Manager', async (_, event) => {
    await expect(rotate(event as never)).rejects.toBeInstanceOf(RotationError);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  it('fails testSecret when the pending version does not hold a well-formed key', async () => {
    secret.versions.set(token, {
      value: JSON.stringify({ apiKey: 'short' }),
      stages: ['AWSPENDING'],
    });

    await expect(step('testSecret')).rejects.toThrow(/does not hold a well-formed apiKey/);
  });

  it('fails testSecret when createSecret never ran', async () => {
    await expect(step('testSecret')).rejects.toThrow(/has no value/);
  });
});

describe('the rotation function’s output', () => {
  it('publishes one batch per step with a step dimension, and ApiKeyRotated once', async () => {
    await runAllSteps();
    await step('finishSecret');
    await expect(step('finishSecret', 'unknown-token')).rejects.toThrow();

    expect(metrics.flattened()).toEqual([
      {
        step: 'createSecret',
        RotationStep: 1,
        RotationStepFailed: 0,
        RotationStepLatency: expect.any(Number),
      },
      expect.objectContaining({ step: 'setSecret', RotationStepFailed: 0 }),
      expect.objectContaining({ step: 'testSecret', RotationStepFailed: 0 }),
      expect.objectContaining({ step: 'finishSecret', RotationStepFailed: 0 }),
      { ApiKeyRotated: 1 },
      expect.objectContaining({ step: 'finishSecret', RotationStepFailed: 0 }),
      expect.objectContaining({ step: 'finishSecret', RotationStepFailed: 1 }),
    ]);
  });

  it('never logs a key', async () => {
    const output: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    try {
      const logged = createKeyRotation({
        client: new SecretsManagerClient({ region: 'us-west-2' }),
        logger: new Logger({ logLevel: 'DEBUG', serviceName: 'tap-rotation' }),
        metrics,
        tracing: NO_TRACING,
      });
      for (const name of ROTATION_STEPS) {
        await logged({ Step: name, SecretId: SECRET_ARN, ClientRequestToken: token });
      }
    } finally {
      jest.restoreAllMocks();
    }

    const logs = output.join('');
    const newKey = (secret.valueOf('AWSCURRENT') as { apiKey: string }).apiKey;
    expect(logs).toContain('finishSecret');
    expect(logs).toContain(token);
    expect(logs).not.toContain(newKey);
    expect(logs).not.toContain(OLD_KEY);
  });
});

describe('generateApiKey', () => {
  it('draws 40 letters and digits, differently each time', () => {
    const keys = new Set(Array.from({ length: 100 }, () => generateApiKey()));

    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9]{40}$/);
  });
});

describe('the composition root', () => {
  it('loads with no configuration and rotates through the client it builds', async () => {
    // Imported into this file's module registry (no isolation: there is no configuration to
    // vary), so the client it builds is the mocked class.
    Object.assign(process.env, {
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    try {
      const { handler } = await import('../../functions/rotation');
      for (const name of ROTATION_STEPS) {
        await handler({ Step: name, SecretId: SECRET_ARN, ClientRequestToken: token });
      }
    } finally {
      delete process.env['POWERTOOLS_METRICS_DISABLED'];
    }

    expect(secret.holder('AWSCURRENT')?.[0]).toBe(token);
  });
});
