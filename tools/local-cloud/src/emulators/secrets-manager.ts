import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, ManagedService } from '@tap/test-support';
import { SecretsManagerError, type SecretStore } from './secret-store';
import {
  handleSecretsExtensionRequest,
  isSecretsExtensionRequest,
} from './secrets-extension-endpoint';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager.';
/** Secrets are at most 64 KiB; anything much larger is not a Secrets Manager request. */
const MAX_REQUEST_BYTES = 1024 * 1024;

type Input = Readonly<Record<string, unknown>>;
type Operation = (store: SecretStore, input: Input) => unknown;

const invalid = (message: string): SecretsManagerError =>
  new SecretsManagerError('InvalidParameterException', message);

function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${field} must be a string`);
  return value;
}

function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  return value;
}

function optionalStrings(input: Input, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${field} must be a list of strings`);
  }
  return value as string[];
}

function optionalTags(input: Input): { Key: string; Value: string }[] | undefined {
  const value = input['Tags'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid('Tags must be a list of {Key, Value}');
  return value.map((tag: unknown) => {
    if (typeof tag !== 'object' || tag === null)
      throw invalid('Tags must be a list of {Key, Value}');
    const fields = tag as Input;
    return { Key: requiredString(fields, 'Key'), Value: optionalString(fields, 'Value') ?? '' };
  });
}

/** The operations the emulator answers, by `X-Amz-Target` suffix. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateSecret: (store, input) => {
    const description = optionalString(input, 'Description');
    const kmsKeyId = optionalString(input, 'KmsKeyId');
    const tags = optionalTags(input);
    return store.createSecret({
      Name: requiredString(input, 'Name'),
      ...valueFields(input),
      ...tokenField(input),
      ...(description === undefined ? {} : { Description: description }),
      ...(kmsKeyId === undefined ? {} : { KmsKeyId: kmsKeyId }),
      ...(tags === undefined ? {} : { Tags: tags }),
    });
  },
  GetSecretValue: (store, input) => {
    const versionId = optionalString(input, 'VersionId');
    const versionStage = optionalString(input, 'VersionStage');
    return store.getSecretValue({
      SecretId: requiredString(input, 'SecretId'),
      ...(versionId === undefined ? {} : { VersionId: versionId }),
      ...(versionStage === undefined ? {} : { VersionStage: versionStage }),
    });
  },
  PutSecretValue: (store, input) => {
    const stages = optionalStrings(input, 'VersionStages');
    return store.putSecretValue({
      SecretId: requiredString(input, 'SecretId'),
      ...valueFields(input),
      ...tokenField(input),
      ...(stages === undefined ? {} : { VersionStages: stages }),
    });
  },
  DescribeSecret: (store, input) => store.describeSecret(requiredString(input, 'SecretId')),
  UpdateSecretVersionStage: (store, input) => {
    const moveTo = optionalString(input, 'MoveToVersionId');
    const removeFrom = optionalString(input, 'RemoveFromVersionId');
    return store.updateSecretVersionStage({
      SecretId: requiredString(input, 'SecretId'),
      VersionStage: requiredString(input, 'VersionStage'),
      ...(moveTo === undefined ? {} : { MoveToVersionId: moveTo }),
      ...(removeFrom === undefined ? {} : { RemoveFromVersionId: removeFrom }),
    });
  },
  RotateSecret: (store, input) => {
    const lambdaArn = optionalString(input, 'RotationLambdaARN');
    const rules = input['RotationRules'];
    if (
      rules !== undefined &&
      rules !== null &&
      (typeof rules !== 'object' || Array.isArray(rules))
    ) {
      throw invalid('RotationRules must be an object');
    }
    const days = (rules as Input | undefined | null)?.['AutomaticallyAfterDays'];
    if (days !== undefined && typeof days !== 'number') {
      throw invalid('RotationRules.AutomaticallyAfterDays must be a number');
    }
    const immediately = input['RotateImmediately'];
    if (immediately !== undefined && typeof immediately !== 'boolean') {
      throw invalid('RotateImmediately must be a boolean');
    }
    return store.rotateSecret({
      SecretId: requiredString(input, 'SecretId'),
      ...tokenField(input),
      ...(lambdaArn === undefined ? {} : { RotationLambdaARN: lambdaArn }),
      ...(days === undefined ? {} : { RotationRules: { AutomaticallyAfterDays: days } }),
      ...(immediately === undefined ? {} : { RotateImmediately: immediately }),
    });
  },
  ListSecretVersionIds: (store, input) => {
    const maxResults = input['MaxResults'];
    if (maxResults !== undefined && (typeof maxResults !== 'number' || maxResults < 1)) {
      throw invalid('MaxResults must be a positive number');
    }
    const nextToken = optionalString(input, 'NextToken');
    return store.listSecretVersionIds({
      SecretId: requiredString(input, 'SecretId'),
      IncludeDeprecated: input['IncludeDeprecated'] === true,
      ...(maxResults === undefined ? {} : { MaxResults: maxResults }),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    });
  },
};

function valueFields(input: Input): { SecretString?: string; SecretBinary?: string } {
  const secretString = optionalString(input, 'SecretString');
  const secretBinary = optionalString(input, 'SecretBinary');
  return {
    ...(secretString === undefined ? {} : { SecretString: secretString }),
    ...(secretBinary === undefined ? {} : { SecretBinary: secretBinary }),
  };
}

function tokenField(input: Input): { ClientRequestToken?: string } {
  const token = optionalString(input, 'ClientRequestToken');
  return token === undefined ? {} : { ClientRequestToken: token };
}

function readJson(request: IncomingMessage): Promise<Input> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        reject(new SecretsManagerError('InvalidRequestException', 'The request is too large.'));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        const parsed: unknown = text.length === 0 ? {} : JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new Error('not an object');
        }
        resolve(parsed as Input);
      } catch {
        reject(new SecretsManagerError('SerializationException', 'The request is not valid JSON.'));
      }
    });
  });
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}

/**
 * Answers one AWS JSON 1.1 request: `POST /` with `X-Amz-Target: secretsmanager.<Op>`.
 * Errors follow the protocol (HTTP 400, `__type` naming the exception) so the real SDK
 * raises its typed exceptions.
 */
export async function handleSecretsManagerRequest(
  store: SecretStore,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const target = request.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? OPERATIONS[target.slice(TARGET_PREFIX.length)]
        : undefined;
    if (request.method !== 'POST' || !operation) {
      request.resume();
      throw new SecretsManagerError(
        'UnknownOperationException',
        `The local Secrets Manager does not support ${String(target)}`,
      );
    }
    const input = await readJson(request);
    send(response, 200, await operation(store, input));
  } catch (error) {
    if (error instanceof SecretsManagerError) {
      send(response, 400, { __type: error.type, message: error.message }, error.type);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      send(response, 500, { __type: 'InternalServiceError', message }, 'InternalServiceError');
    }
  }
}

/**
 * The Secrets Manager emulator as a stoppable service over a {@link SecretStore}. It also
 * answers the Parameters and Secrets extension's endpoint (`secrets-extension-endpoint.ts`).
 */
export function createSecretsManagerEmulator(host: string, store: SecretStore): ManagedService {
  return new ManagedService('secretsManager', host, {
    async open(listenHost, port) {
      const server = createServer((request, response) => {
        if (isSecretsExtensionRequest(request)) {
          handleSecretsExtensionRequest(store, request, response);
          return;
        }
        void handleSecretsManagerRequest(store, request, response);
      });
      await listen(server, port, listenHost);
      return server;
    },
    dispose: () => store.flush(),
  });
}
