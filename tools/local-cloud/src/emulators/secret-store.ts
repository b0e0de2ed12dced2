import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomAlphanumeric } from '../random';

/** The staging label of the version readers get by default. */
export const AWSCURRENT = 'AWSCURRENT';
/** The label Secrets Manager moves to the former current version. */
export const AWSPREVIOUS = 'AWSPREVIOUS';
/** The label of the version a rotation is creating. */
export const AWSPENDING = 'AWSPENDING';

/** An error Secrets Manager answers with; `type` becomes the JSON `__type`. */
export class SecretsManagerError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** One stored version of a secret; without a value while a rotation has yet to create it. */
interface StoredVersion {
  readonly versionId: string;
  secretString?: string;
  /** Base64, as the JSON protocol carries blobs. */
  secretBinary?: string;
  /** Epoch milliseconds. */
  readonly createdDate: number;
  stages: string[];
}

interface StoredTag {
  readonly Key: string;
  readonly Value: string;
}

/** One stored secret. */
interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags?: StoredTag[];
  readonly createdDate: number;
  lastChangedDate: number;
  versions: StoredVersion[];
  /** Set once rotation is configured (RotateSecret, or the stack's rotation schedule). */
  rotation?: StoredRotation;
  /** Epoch milliseconds of the last rotation that completed. */
  lastRotatedDate?: number;
}

/** A secret's rotation configuration. */
interface StoredRotation {
  readonly lambdaArn: string;
  readonly automaticallyAfterDays: number;
}

interface StoreFile {
  readonly formatVersion: 1;
  readonly secrets: StoredSecret[];
}

/** A secret value as the operations take and return it. */
interface SecretValueInput {
  readonly SecretString?: string;
  readonly SecretBinary?: string;
}

/** Input of CreateSecret (the subset the emulator honours). */
export interface CreateSecretInput extends SecretValueInput {
  readonly Name: string;
  readonly ClientRequestToken?: string;
  readonly Description?: string;
  readonly KmsKeyId?: string;
  readonly Tags?: StoredTag[];
}

/** Input of GetSecretValue. */
export interface GetSecretValueInput {
  readonly SecretId: string;
  readonly VersionId?: string;
  readonly VersionStage?: string;
}

/** Input of PutSecretValue. */
export interface PutSecretValueInput extends SecretValueInput {
  readonly SecretId: string;
  readonly ClientRequestToken?: string;
  readonly VersionStages?: string[];
}

/** Input of UpdateSecretVersionStage. */
export interface UpdateSecretVersionStageInput {
  readonly SecretId: string;
  readonly VersionStage: string;
  readonly MoveToVersionId?: string;
  readonly RemoveFromVersionId?: string;
}

/** Input of RotateSecret (the subset the emulator honours). */
export interface RotateSecretInput {
  readonly SecretId: string;
  readonly ClientRequestToken?: string;
  readonly RotationLambdaARN?: string;
  readonly RotationRules?: { readonly AutomaticallyAfterDays?: number };
  /** Default true: rotate now. False only stores the configuration. */
  readonly RotateImmediately?: boolean;
}

/**
 * Runs one rotation the way Secrets Manager drives a rotation function: the four steps,
 * with `token` as `ClientRequestToken`. Rejects when a step fails.
 */
export type RotationRunner = (
  rotation: { readonly secretArn: string; readonly lambdaArn: string },
  token: string,
) => Promise<void>;

/** Input of ListSecretVersionIds. */
export interface ListSecretVersionIdsInput {
  readonly SecretId: string;
  readonly IncludeDeprecated?: boolean;
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

/** Where the store lives and how its ARNs look. */
export interface SecretStoreOptions {
  /** JSON file the store persists to; in memory only when undefined. */
  readonly file: string | undefined;
  readonly region: string;
  readonly account: string;
}

/** Epoch seconds, the JSON protocol's timestamp format. */
const seconds = (epochMs: number): number => epochMs / 1000;

/**
 * Secrets, their versions and staging labels, with Secrets Manager's rules: a label sits
 * on at most one version, moving AWSCURRENT hands AWSPREVIOUS to the version that had it,
 * and a version without labels is deprecated. Every change is written to disk (temp file
 * + rename, so a crash never leaves half a file) before the operation answers.
 */
export class SecretStore {
  private writes: Promise<void> = Promise.resolve();
  private rotationRunner: RotationRunner | undefined;
  /** ARNs of secrets with a rotation running (not persisted: a restart ends it). */
  private readonly rotating = new Set<string>();

  private constructor(
    private readonly options: SecretStoreOptions,
    private readonly secrets: StoredSecret[],
  ) {}

  /**
   * Loads the store from its file (if any) or starts empty.
   *
   * @throws Error naming the file when it exists but is not a store.
   */
  static async open(options: SecretStoreOptions): Promise<SecretStore> {
    if (options.file === undefined) return new SecretStore(options, []);
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SecretStore(options, []);
      throw error;
    }
    let parsed: Partial<StoreFile>;
    try {
      parsed = JSON.parse(text) as Partial<StoreFile>;
    } catch {
      parsed = {};
    }
    if (parsed.formatVersion !== 1 || !Array.isArray(parsed.secrets)) {
      throw new Error(
        `${options.file} is not a Secrets Manager emulator store; move it away to start afresh`,
      );
    }
    return new SecretStore(options, parsed.secrets);
  }

  /** Whether a secret with this name or ARN exists. */
  has(secretId: string): boolean {
    return this.find(secretId) !== undefined;
  }

  async createSecret(input: CreateSecretInput): Promise<Record<string, unknown>> {
    if (this.secrets.some((secret) => secret.name === input.Name)) {
      throw new SecretsManagerError(
        'ResourceExistsException',
        `The operation failed because the secret ${input.Name} already exists.`,
      );
    }
    const now = Date.now();
    const secret: StoredSecret = {
      name: input.Name,
      arn: `arn:aws:secretsmanager:${this.options.region}:${this.options.account}:secret:${input.Name}-${randomAlphanumeric(6)}`,
      ...(input.Description === undefined ? {} : { description: input.Description }),
      ...(input.KmsKeyId === undefined ? {} : { kmsKeyId: input.KmsKeyId }),
      ...(input.Tags === undefined ? {} : { tags: input.Tags }),
      createdDate: now,
      lastChangedDate: now,
      versions: [],
    };
    let versionId: string | undefined;
    if (hasValue(input)) {
      versionId = input.ClientRequestToken ?? randomUUID();
      secret.versions.push(newVersion(versionId, input, now));
      moveStage(secret, AWSCURRENT, versionId);
    }
    this.secrets.push(secret);
    await this.persist();
    return { ARN: secret.arn, Name: secret.name, ...(versionId ? { VersionId: versionId } : {}) };
  }

  getSecretValue(input: GetSecretValueInput): Record<string, unknown> {
    const secret = this.require(input.SecretId);
    const version = selectVersion(secret, input.VersionId, input.VersionStage);
    if (!hasValue({ SecretString: version.secretString, SecretBinary: version.secretBinary })) {
      // The version a rotation has started but whose createSecret step has not run yet.
      throw new SecretsManagerError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${version.versionId}`,
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
      ...(version.secretBinary === undefined ? {} : { SecretBinary: version.secretBinary }),
      VersionStages: [...version.stages],
      CreatedDate: seconds(version.createdDate),
    };
  }

  async putSecretValue(input: PutSecretValueInput): Promise<Record<string, unknown>> {
    const secret = this.require(input.SecretId);
    if (!hasValue(input)) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        'You must provide either SecretString or SecretBinary.',
      );
    }
    const versionId = input.ClientRequestToken ?? randomUUID();
    const existing = secret.versions.find((version) => version.versionId === versionId);
    if (
      existing &&
      !hasValue({ SecretString: existing.secretString, SecretBinary: existing.secretBinary })
    ) {
      // A rotation's createSecret step gives the pending version its value.
      if (input.SecretString !== undefined) existing.secretString = input.SecretString;
      if (input.SecretBinary !== undefined) existing.secretBinary = input.SecretBinary;
      for (const stage of input.VersionStages ?? [AWSCURRENT]) moveStage(secret, stage, versionId);
      secret.lastChangedDate = Date.now();
      await this.persist();
      return versionAnswer(secret, existing);
    }
    if (existing) {
      // A retried request (same token, same value) is answered, not applied twice.
      if (
        existing.secretString === input.SecretString &&
        existing.secretBinary === input.SecretBinary
      ) {
        return versionAnswer(secret, existing);
      }
      throw new SecretsManagerError(
        'ResourceExistsException',
        `A version with ClientRequestToken ${versionId} already exists with a different value.`,
      );
    }
    const now = Date.now();
    const version = newVersion(versionId, input, now);
    secret.versions.push(version);
    for (const stage of input.VersionStages ?? [AWSCURRENT]) moveStage(secret, stage, versionId);
    secret.lastChangedDate = now;
    await this.persist();
    return versionAnswer(secret, version);
  }

  describeSecret(secretId: string): Record<string, unknown> {
    const secret = this.require(secretId);
    const versionIdsToStages: Record<string, string[]> = {};
    for (const version of secret.versions) {
      if (version.stages.length > 0) versionIdsToStages[version.versionId] = [...version.stages];
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description === undefined ? {} : { Description: secret.description }),
      ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
      ...(secret.tags === undefined ? {} : { Tags: secret.tags }),
      CreatedDate: seconds(secret.createdDate),
      LastChangedDate: seconds(secret.lastChangedDate),
      RotationEnabled: secret.rotation !== undefined,
      ...(secret.rotation === undefined
        ? {}
        : {
            RotationLambdaARN: secret.rotation.lambdaArn,
            RotationRules: { AutomaticallyAfterDays: secret.rotation.automaticallyAfterDays },
          }),
      ...(secret.lastRotatedDate === undefined
        ? {}
        : { LastRotatedDate: seconds(secret.lastRotatedDate) }),
      VersionIdsToStages: versionIdsToStages,
    };
  }

  /**
   * Who runs rotations: the local cloud invokes its rotation function. Without one,
   * RotateSecret can only store a configuration (`RotateImmediately: false`).
   */
  setRotationRunner(runner: RotationRunner | undefined): void {
    this.rotationRunner = runner;
  }

  /**
   * RotateSecret: stores the rotation configuration given, then (unless
   * `RotateImmediately` is false) rotates. Secrets Manager first attaches AWSPENDING to a
   * new version id without a value, then invokes the function for each step with that id.
   * Unlike Secrets Manager, which answers at once and rotates in the background, this
   * answers when the rotation has finished, so its caller sees failures.
   */
  async rotateSecret(input: RotateSecretInput): Promise<Record<string, unknown>> {
    const secret = this.require(input.SecretId);
    const lambdaArn = input.RotationLambdaARN ?? secret.rotation?.lambdaArn;
    if (lambdaArn === undefined) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        'No Lambda rotation function ARN is associated with this secret.',
      );
    }
    const days =
      input.RotationRules?.AutomaticallyAfterDays ?? secret.rotation?.automaticallyAfterDays;
    if (days === undefined || !Number.isInteger(days) || days < 1 || days > 1000) {
      throw new SecretsManagerError(
        'InvalidParameterException',
        'RotationRules.AutomaticallyAfterDays must be an integer from 1 to 1000.',
      );
    }
    secret.rotation = { lambdaArn, automaticallyAfterDays: days };
    secret.lastChangedDate = Date.now();
    await this.persist();
    if (input.RotateImmediately === false) return { ARN: secret.arn, Name: secret.name };

    const runner = this.rotationRunner;
    if (!runner) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        'This Secrets Manager emulator has no Lambda to run the rotation function.',
      );
    }
    if (this.rotating.has(secret.arn)) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        "A previous rotation isn't complete. That rotation will be reattempted.",
      );
    }
    const token = input.ClientRequestToken ?? randomUUID();
    if (secret.versions.some((version) => version.versionId === token)) {
      throw new SecretsManagerError(
        'ResourceExistsException',
        `A version with ClientRequestToken ${token} already exists.`,
      );
    }
    this.rotating.add(secret.arn);
    try {
      secret.versions.push({ versionId: token, createdDate: Date.now(), stages: [] });
      moveStage(secret, AWSPENDING, token);
      await this.persist();
      try {
        await runner({ secretArn: secret.arn, lambdaArn }, token);
      } catch (error) {
        if (error instanceof SecretsManagerError) throw error;
        // Answered as a 400: a 500 would make the caller's SDK retry, that is rotate again.
        throw new SecretsManagerError(
          'InvalidRequestException',
          `The rotation failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      secret.lastRotatedDate = Date.now();
      await this.persist();
    } finally {
      this.rotating.delete(secret.arn);
    }
    return { ARN: secret.arn, Name: secret.name, VersionId: token };
  }

  async updateSecretVersionStage(
    input: UpdateSecretVersionStageInput,
  ): Promise<Record<string, unknown>> {
    const secret = this.require(input.SecretId);
    const holder = secret.versions.find((version) => version.stages.includes(input.VersionStage));
    if (
      input.RemoveFromVersionId !== undefined &&
      holder?.versionId !== input.RemoveFromVersionId
    ) {
      throw new SecretsManagerError(
        'InvalidParameterException',
        `The staging label ${input.VersionStage} is not attached to version ${input.RemoveFromVersionId}.`,
      );
    }
    if (input.MoveToVersionId === undefined) {
      if (input.RemoveFromVersionId === undefined) {
        throw new SecretsManagerError(
          'InvalidParameterException',
          'Specify MoveToVersionId, RemoveFromVersionId or both.',
        );
      }
      if (input.VersionStage === AWSCURRENT) {
        throw new SecretsManagerError(
          'InvalidParameterException',
          'AWSCURRENT cannot be removed, only moved to another version with MoveToVersionId.',
        );
      }
      removeStage(secret, input.VersionStage);
    } else {
      if (!secret.versions.some((version) => version.versionId === input.MoveToVersionId)) {
        throw new SecretsManagerError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret version: ${input.MoveToVersionId}`,
        );
      }
      if (holder && holder.versionId !== input.MoveToVersionId && !input.RemoveFromVersionId) {
        throw new SecretsManagerError(
          'InvalidParameterException',
          `The staging label ${input.VersionStage} is currently attached to version ${holder.versionId}, ` +
            'so you must explicitly reference that version in RemoveFromVersionId.',
        );
      }
      moveStage(secret, input.VersionStage, input.MoveToVersionId);
    }
    secret.lastChangedDate = Date.now();
    await this.persist();
    return { ARN: secret.arn, Name: secret.name };
  }

  listSecretVersionIds(input: ListSecretVersionIdsInput): Record<string, unknown> {
    const secret = this.require(input.SecretId);
    // Newest first. Versions are kept in the order they were made, so that order breaks
    // ties: two versions made within the same millisecond still list newest first.
    const versions = secret.versions
      .map((version, made) => ({ version, made }))
      .filter(({ version }) => input.IncludeDeprecated === true || version.stages.length > 0)
      .sort((a, b) => b.version.createdDate - a.version.createdDate || b.made - a.made)
      .map(({ version }) => version);
    const start = input.NextToken === undefined ? 0 : Number.parseInt(input.NextToken, 10);
    if (!Number.isInteger(start) || start < 0 || start > versions.length) {
      throw new SecretsManagerError('InvalidNextTokenException', 'The NextToken is not valid.');
    }
    const end = start + (input.MaxResults ?? 100);
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: versions.slice(start, end).map((version) => ({
        VersionId: version.versionId,
        VersionStages: [...version.stages],
        CreatedDate: seconds(version.createdDate),
      })),
      ...(end < versions.length ? { NextToken: String(end) } : {}),
    };
  }

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.writes;
  }

  private find(secretId: string): StoredSecret | undefined {
    return this.secrets.find(
      (secret) =>
        secret.name === secretId ||
        secret.arn === secretId ||
        // A partial ARN (without the random suffix) names the secret too.
        secret.arn.slice(0, secret.arn.lastIndexOf('-')) === secretId,
    );
  }

  private require(secretId: string): StoredSecret {
    const secret = this.find(secretId);
    if (!secret) {
      throw new SecretsManagerError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    return secret;
  }

  private persist(): Promise<void> {
    const file = this.options.file;
    if (file === undefined) return Promise.resolve();
    // The snapshot is taken now, so writes land in the order the changes were made.
    const snapshot: StoreFile = { formatVersion: 1, secrets: this.secrets };
    const text = JSON.stringify(snapshot, null, 2);
    const write = this.writes.then(() => writeFileAtomically(file, text));
    this.writes = write.catch(() => undefined);
    return write;
  }
}

const hasValue = (input: SecretValueInput): boolean =>
  input.SecretString !== undefined || input.SecretBinary !== undefined;

function newVersion(versionId: string, value: SecretValueInput, now: number): StoredVersion {
  return {
    versionId,
    ...(value.SecretString === undefined ? {} : { secretString: value.SecretString }),
    ...(value.SecretBinary === undefined ? {} : { secretBinary: value.SecretBinary }),
    createdDate: now,
    stages: [],
  };
}

function versionAnswer(secret: StoredSecret, version: StoredVersion): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    VersionStages: [...version.stages],
  };
}

function selectVersion(
  secret: StoredSecret,
  versionId: string | undefined,
  versionStage: string | undefined,
): StoredVersion {
  const stage = versionStage ?? (versionId === undefined ? AWSCURRENT : undefined);
  const version = secret.versions.find(
    (candidate) =>
      (versionId === undefined || candidate.versionId === versionId) &&
      (stage === undefined || candidate.stages.includes(stage)),
  );
  if (!version) {
    throw new SecretsManagerError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for ${
        versionId === undefined ? `staging label: ${stage}` : `VersionId: ${versionId}`
      }`,
    );
  }
  return version;
}

function removeStage(secret: StoredSecret, stage: string): void {
  for (const version of secret.versions) {
    version.stages = version.stages.filter((label) => label !== stage);
  }
}

/** Attaches `stage` to one version; moving AWSCURRENT demotes the old one to AWSPREVIOUS. */
function moveStage(secret: StoredSecret, stage: string, versionId: string): void {
  const formerHolder = secret.versions.find((version) => version.stages.includes(stage));
  if (formerHolder?.versionId === versionId) return;
  removeStage(secret, stage);
  secret.versions.find((version) => version.versionId === versionId)?.stages.push(stage);
  if (stage === AWSCURRENT && formerHolder) {
    removeStage(secret, AWSPREVIOUS);
    formerHolder.stages.push(AWSPREVIOUS);
  }
}

/** Writes a file so that readers see the old or the new content, never a torn one. */
async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomAlphanumeric(8)}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
