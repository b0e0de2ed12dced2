import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  InvalidParameterException,
} from '@aws-sdk/client-secrets-manager';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ManagedService } from '@tap/test-support';
import { SecretStore } from './secret-store';
import { createSecretsManagerEmulator } from './secrets-manager';

const REGION = 'us-west-2';
const ACCOUNT = '000000000000';

const ROTATION_LAMBDA = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rotate`;

async function startEmulator(file: string | undefined): Promise<{
  service: ManagedService;
  client: SecretsManagerClient;
  store: SecretStore;
}> {
  const store = await SecretStore.open({ file, region: REGION, account: ACCOUNT });
  const service = createSecretsManagerEmulator('127.0.0.1', store);
  await service.start();
  const client = new SecretsManagerClient({
    endpoint: service.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { service, client, store };
}

describe('Secrets Manager emulator, through the real SDK client', () => {
  let service: ManagedService;
  let client: SecretsManagerClient;
  let store: SecretStore;

  beforeAll(async () => {
    ({ service, client, store } = await startEmulator(undefined));
  });

  afterAll(async () => {
    client.destroy();
    await service.dispose();
  });

  it('creates a secret and reads its current value by name and by ARN', async () => {
    const created = await client.send(
      new CreateSecretCommand({ Name: 'app/key', SecretString: '{"apiKey":"one"}' }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-west-2:000000000000:secret:app\/key-[A-Za-z0-9]{6}$/,
    );
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'app/key' }));
    expect(byName).toMatchObject({
      Name: 'app/key',
      SecretString: '{"apiKey":"one"}',
      VersionId: created.VersionId,
      VersionStages: ['AWSCURRENT'],
    });
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn.SecretString).toBe('{"apiKey":"one"}');
  });

  it('refuses to create a secret that exists', async () => {
    await client.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'x' }));
    await expect(
      client.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'y' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    const failure = client.send(new GetSecretValueCommand({ SecretId: 'nope' }));
    await expect(failure).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(failure).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rotates like Secrets Manager: pending version, then AWSCURRENT moves and AWSPREVIOUS follows', async () => {
    const { VersionId: first } = await client.send(
      new CreateSecretCommand({ Name: 'rotating', SecretString: 'v1' }),
    );
    const token = '11111111-2222-4333-8444-555555555555';
    const pending = await client.send(
      new PutSecretValueCommand({
        SecretId: 'rotating',
        SecretString: 'v2',
        ClientRequestToken: token,
        VersionStages: ['AWSPENDING'],
      }),
    );
    expect(pending).toMatchObject({ VersionId: token, VersionStages: ['AWSPENDING'] });
    expect(
      (await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString,
    ).toBe('v1');
    expect(
      (
        await client.send(
          new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPENDING' }),
        )
      ).SecretString,
    ).toBe('v2');

    await expect(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'rotating',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'rotating',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        RemoveFromVersionId: first,
      }),
    );
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'rotating',
        VersionStage: 'AWSPENDING',
        RemoveFromVersionId: token,
      }),
    );

    const described = await client.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
    expect(described.VersionIdsToStages).toEqual({
      [token]: ['AWSCURRENT'],
      [first as string]: ['AWSPREVIOUS'],
    });
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect(
      (await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString,
    ).toBe('v2');
    expect(
      (await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: first })))
        .SecretString,
    ).toBe('v1');
  });

  it('makes PutSecretValue current by default and is idempotent for a repeated token', async () => {
    await client.send(new CreateSecretCommand({ Name: 'plain', SecretString: 'a' }));
    const put = new PutSecretValueCommand({
      SecretId: 'plain',
      SecretString: 'b',
      ClientRequestToken: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    });
    const first = await client.send(put);
    const again = await client.send(put);
    expect(again.VersionId).toBe(first.VersionId);
    expect(first.VersionStages).toEqual(['AWSCURRENT']);
    const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'plain' }));
    expect(versions.Versions?.map((version) => version.VersionStages)).toEqual([
      ['AWSCURRENT'],
      ['AWSPREVIOUS'],
    ]);
    await expect(
      client.send(
        new PutSecretValueCommand({
          SecretId: 'plain',
          SecretString: 'different',
          ClientRequestToken: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('lists deprecated versions only when asked to', async () => {
    await client.send(new CreateSecretCommand({ Name: 'many', SecretString: '1' }));
    for (const value of ['2', '3']) {
      await client.send(new PutSecretValueCommand({ SecretId: 'many', SecretString: value }));
    }
    const labelled = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'many' }));
    const all = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: 'many', IncludeDeprecated: true }),
    );
    expect(labelled.Versions).toHaveLength(2);
    expect(all.Versions).toHaveLength(3);
  });

  it('hands AWSPREVIOUS on when AWSCURRENT moves again: only the last former version keeps it', async () => {
    const { VersionId: first } = await client.send(
      new CreateSecretCommand({ Name: 'twice', SecretString: '1' }),
    );
    const { VersionId: second } = await client.send(
      new PutSecretValueCommand({ SecretId: 'twice', SecretString: '2' }),
    );
    const { VersionId: third } = await client.send(
      new PutSecretValueCommand({
        SecretId: 'twice',
        SecretString: '3',
        VersionStages: ['AWSPENDING'],
      }),
    );
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'twice',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: third,
        RemoveFromVersionId: second,
      }),
    );

    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'twice', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous).toMatchObject({ SecretString: '2', VersionId: second });
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'twice' }));
    expect(described.VersionIdsToStages).toEqual({
      [third as string]: ['AWSPENDING', 'AWSCURRENT'],
      [second as string]: ['AWSPREVIOUS'],
    });
    expect(described.VersionIdsToStages).not.toHaveProperty(first as string);
  });

  it('answers ResourceNotFoundException for AWSPREVIOUS of a secret never rotated', async () => {
    await client.send(new CreateSecretCommand({ Name: 'fresh', SecretString: 'x' }));

    await expect(
      client.send(new GetSecretValueCommand({ SecretId: 'fresh', VersionStage: 'AWSPREVIOUS' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('reports rotation in DescribeSecret once it is configured', async () => {
    await client.send(new CreateSecretCommand({ Name: 'configured', SecretString: 'x' }));
    const before = await client.send(new DescribeSecretCommand({ SecretId: 'configured' }));

    await client.send(
      new RotateSecretCommand({
        SecretId: 'configured',
        RotationLambdaARN: ROTATION_LAMBDA,
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      }),
    );

    expect(before.RotationEnabled).toBe(false);
    expect(await client.send(new DescribeSecretCommand({ SecretId: 'configured' }))).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: ROTATION_LAMBDA,
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
  });

  it('refuses to rotate now when nothing can run a rotation function', async () => {
    await client.send(new CreateSecretCommand({ Name: 'no-runner', SecretString: 'x' }));

    await expect(
      client.send(
        new RotateSecretCommand({
          SecretId: 'no-runner',
          RotationLambdaARN: ROTATION_LAMBDA,
          RotationRules: { AutomaticallyAfterDays: 30 },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
  });

  describe('RotateSecret with a rotation runner', () => {
    afterEach(() => store.setRotationRunner(undefined));

    it('stages AWSPENDING on a new version without a value, then lets the function fill and promote it', async () => {
      const { VersionId: original } = await client.send(
        new CreateSecretCommand({ Name: 'rotated', SecretString: 'old' }),
      );
      const observed: unknown[] = [];
      store.setRotationRunner(async ({ secretArn, lambdaArn }, token) => {
        // What a rotation function sees before createSecret, then does in it and finishSecret.
        const described = await client.send(new DescribeSecretCommand({ SecretId: secretArn }));
        observed.push(lambdaArn, described.VersionIdsToStages?.[token]);
        observed.push(
          await client
            .send(
              new GetSecretValueCommand({
                SecretId: secretArn,
                VersionId: token,
                VersionStage: 'AWSPENDING',
              }),
            )
            .catch((error: Error) => error.name),
        );
        await client.send(
          new PutSecretValueCommand({
            SecretId: secretArn,
            ClientRequestToken: token,
            SecretString: 'new',
            VersionStages: ['AWSPENDING'],
          }),
        );
        await client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: secretArn,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: token,
            RemoveFromVersionId: original,
          }),
        );
      });

      const answer = await client.send(
        new RotateSecretCommand({
          SecretId: 'rotated',
          RotationLambdaARN: ROTATION_LAMBDA,
          RotationRules: { AutomaticallyAfterDays: 7 },
          ClientRequestToken: '99999999-8888-4777-8666-555555555555',
        }),
      );

      expect(answer.VersionId).toBe('99999999-8888-4777-8666-555555555555');
      expect(observed).toEqual([ROTATION_LAMBDA, ['AWSPENDING'], 'ResourceNotFoundException']);
      const read = (VersionStage: string) =>
        client.send(new GetSecretValueCommand({ SecretId: 'rotated', VersionStage }));
      expect((await read('AWSCURRENT')).SecretString).toBe('new');
      expect((await read('AWSPREVIOUS')).SecretString).toBe('old');
      const described = await client.send(new DescribeSecretCommand({ SecretId: 'rotated' }));
      expect(described.LastRotatedDate).toBeInstanceOf(Date);
    });

    it('refuses a second rotation while one is running, and fails with the runner’s error', async () => {
      await client.send(new CreateSecretCommand({ Name: 'busy', SecretString: 'x' }));
      let release: () => void = () => undefined;
      store.setRotationRunner(async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        throw Object.assign(new Error('createSecret failed'), { name: 'Boom' });
      });
      const rotate = () =>
        client.send(
          new RotateSecretCommand({
            SecretId: 'busy',
            RotationLambdaARN: ROTATION_LAMBDA,
            RotationRules: { AutomaticallyAfterDays: 7 },
          }),
        );

      const first = rotate();
      const firstFailure = first.catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(rotate()).rejects.toBeInstanceOf(InvalidRequestException);
      release();

      expect(await firstFailure).toMatchObject({
        name: 'InvalidRequestException',
        message: 'The rotation failed: createSecret failed',
      });
      expect(
        (await client.send(new GetSecretValueCommand({ SecretId: 'busy' }))).SecretString,
      ).toBe('x');
    });
  });

  it('keeps binary secrets as bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const read = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(read.SecretBinary).toEqual(bytes);
    expect(read.SecretString).toBeUndefined();
  });
});

describe('Secrets Manager emulator persistence', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tap-secrets-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps secrets and versions in its file across restarts, leaving no temporary files', async () => {
    const file = path.join(folder, 'secretsmanager.json');
    const first = await startEmulator(file);
    await first.client.send(new CreateSecretCommand({ Name: 'kept', SecretString: 'old' }));
    await first.client.send(new PutSecretValueCommand({ SecretId: 'kept', SecretString: 'new' }));
    await first.client.send(
      new RotateSecretCommand({
        SecretId: 'kept',
        RotationLambdaARN: ROTATION_LAMBDA,
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediately: false,
      }),
    );
    first.client.destroy();
    await first.service.dispose();

    const second = await startEmulator(file);
    try {
      const current = await second.client.send(new GetSecretValueCommand({ SecretId: 'kept' }));
      const previous = await second.client.send(
        new GetSecretValueCommand({ SecretId: 'kept', VersionStage: 'AWSPREVIOUS' }),
      );
      expect([current.SecretString, previous.SecretString]).toEqual(['new', 'old']);
      const described = await second.client.send(new DescribeSecretCommand({ SecretId: 'kept' }));
      expect(described).toMatchObject({
        RotationEnabled: true,
        RotationLambdaARN: ROTATION_LAMBDA,
      });
    } finally {
      second.client.destroy();
      await second.service.dispose();
    }
    expect(await readdir(folder)).toEqual(['secretsmanager.json']);
  });

  it('refuses to start from a file that is not a store, naming it', async () => {
    const file = path.join(folder, 'not-a-store.json');
    await writeFile(file, '[1,2,3]');
    await expect(SecretStore.open({ file, region: REGION, account: ACCOUNT })).rejects.toThrow(
      file,
    );
  });
});
