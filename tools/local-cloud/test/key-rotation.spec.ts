import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DEFAULT_ROTATION_DAYS, type LocalCloudOutputs } from '@tap/contracts';
import { secretsManagerClientFor } from '@tap/test-support';
import { RotationFailedError, startLocalCloud, type LocalCloud } from '../src';
import { fixtureBundle } from './support/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('rotating the API key (fixture rotation function)', () => {
  let cloud: LocalCloud;
  let secrets: SecretsManagerClient;
  const rotated: LocalCloudOutputs[] = [];

  const stagedKey = async (stage: string): Promise<string> => {
    const { SecretString } = await secrets.send(
      new GetSecretValueCommand({ SecretId: cloud.names.apiKeySecret, VersionStage: stage }),
    );
    return (JSON.parse(SecretString ?? '{}') as { apiKey: string }).apiKey;
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({
      port: 0,
      inMemory: true,
      quiet: true,
      functionBundles: {
        health: fixtureBundle('echo'),
        api: fixtureBundle('echo'),
        authorizer: fixtureBundle('authorizer'),
        rotation: fixtureBundle('rotation'),
      },
      onApiKeyRotated: (outputs) => rotated.push(outputs),
    });
    secrets = secretsManagerClientFor(cloud.services.secretsManager.endpoint);
  });

  afterAll(async () => {
    secrets?.destroy();
    await cloud?.stop();
  });

  it('enables rotation on the API key secret, pointed at the rotation function, as the stack does', async () => {
    const described = await secrets.send(
      new DescribeSecretCommand({ SecretId: cloud.names.apiKeySecret }),
    );

    expect(described).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: `arn:aws:lambda:us-west-2:000000000000:function:${cloud.names.functions.rotation}`,
      RotationRules: { AutomaticallyAfterDays: DEFAULT_ROTATION_DAYS },
    });
    expect(described.LastRotatedDate).toBeUndefined();
  });

  it('runs the four steps with a fresh token, then reports both keys and the new outputs', async () => {
    const original = cloud.outputs.ApiKey;

    const { previousKey, currentKey } = await cloud.rotateApiKey();

    expect(previousKey).toBe(original);
    expect(currentKey).toMatch(/^fixture-/);
    expect(currentKey.slice('fixture-'.length)).toMatch(UUID);
    expect(cloud.outputs.ApiKey).toBe(currentKey);
    expect(rotated.at(-1)).toEqual({ ...cloud.outputs, ApiKey: currentKey });
    expect(await stagedKey('AWSCURRENT')).toBe(currentKey);
    expect(await stagedKey('AWSPREVIOUS')).toBe(original);
    const described = await secrets.send(
      new DescribeSecretCommand({ SecretId: cloud.names.apiKeySecret }),
    );
    expect(described.LastRotatedDate).toBeInstanceOf(Date);
  });

  it('rotates through RotateSecret on the emulator too, as the AWS CLI or an SDK would', async () => {
    const before = cloud.outputs.ApiKey;

    const answer = await secrets.send(
      new RotateSecretCommand({ SecretId: cloud.names.apiKeySecret }),
    );

    expect(answer.VersionId).toMatch(UUID);
    expect(cloud.outputs.ApiKey).toBe(`fixture-${answer.VersionId}`);
    expect(await stagedKey('AWSPREVIOUS')).toBe(before);
  });

  it('stops at the failing step, naming it, and leaves the current key alone', async () => {
    const current = cloud.outputs.ApiKey;
    // The fixture fails the step its current value names.
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: cloud.names.apiKeySecret,
        SecretString: JSON.stringify({ apiKey: current, failAt: 'testSecret' }),
      }),
    );
    const rotationsBefore = rotated.length;

    const attempt = cloud.rotateApiKey();

    await expect(attempt).rejects.toBeInstanceOf(RotationFailedError);
    await expect(attempt).rejects.toMatchObject({ step: 'testSecret' });
    expect(await stagedKey('AWSCURRENT')).toBe(current);
    expect(cloud.outputs.ApiKey).toBe(current);
    expect(rotated).toHaveLength(rotationsBefore);

    // The secret is free again: the next rotation (once the cause is fixed) succeeds.
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: cloud.names.apiKeySecret,
        SecretString: JSON.stringify({ apiKey: current }),
      }),
    );
    await expect(cloud.rotateApiKey()).resolves.toMatchObject({ previousKey: current });
  });
});
