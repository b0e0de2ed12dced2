import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import {
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { TAP_REGION } from '@tap/contracts';

/** Region the emulators' clients sign for: the stack's. */
export const EMULATOR_REGION = TAP_REGION;

/**
 * Credentials to sign emulator requests with. s3rver accepts signed requests only from the
 * one access key it registers (`S3RVER`, secret `S3RVER`); dynalite and the local cloud's
 * Secrets Manager accept any, so one pair serves all three.
 */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
} as const;

/** What every SDK client pointed at an emulator needs: its endpoint, region, credentials. */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The client configuration for an emulator listening at `endpoint`. */
export function emulatorClientConfig(endpoint: string): EmulatorClientConfig {
  return { endpoint, region: EMULATOR_REGION, credentials: EMULATOR_CREDENTIALS };
}

/** A DynamoDB client for the emulator at `endpoint`; `config` adds or overrides settings. */
export function dynamoDbClientFor(
  endpoint: string,
  config: DynamoDBClientConfig = {},
): DynamoDBClient {
  return new DynamoDBClient({ ...emulatorClientConfig(endpoint), ...config });
}

/**
 * An S3 client for the emulator at `endpoint`, path-style (`<endpoint>/<bucket>/<key>`: the
 * emulator has no per-bucket host names); `config` adds or overrides settings.
 */
export function s3ClientFor(endpoint: string, config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...emulatorClientConfig(endpoint), forcePathStyle: true, ...config });
}

/** A Secrets Manager client for the emulator at `endpoint`; `config` adds or overrides. */
export function secretsManagerClientFor(
  endpoint: string,
  config: SecretsManagerClientConfig = {},
): SecretsManagerClient {
  return new SecretsManagerClient({ ...emulatorClientConfig(endpoint), ...config });
}

/**
 * A DynamoDB document client for the emulator at `endpoint`, with the functions'
 * marshalling (absent optional fields are left out, not stored as NULL).
 */
export function dynamoDbDocumentClientFor(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamoDbClientFor(endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
