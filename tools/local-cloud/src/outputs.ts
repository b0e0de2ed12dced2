import type { LocalCloudOutputs, ResourceNames } from '@tap/contracts';
import { replaceFile } from './replace-file';
import { LOCAL_ACCOUNT } from './local-account';

/**
 * KMS is not emulated (the emulators store data unencrypted); the output still carries a
 * well-formed key ARN so code reading outputs works unchanged.
 */
export function placeholderKmsKeyArn(region: string): string {
  return `arn:aws:kms:${region}:${LOCAL_ACCOUNT}:key/00000000-0000-4000-8000-000000000000`;
}

/**
 * The outputs a deployed stack would publish, plus what only the local cloud knows: a
 * default machine key, and the DynamoDB endpoint the key command writes to.
 */
export function localCloudOutputs(options: {
  readonly baseUrl: string;
  readonly names: ResourceNames;
  readonly region: string;
  readonly environmentSuffix: string;
  readonly apiKey: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly issuerUrl: string;
  readonly dynamoDbEndpoint: string;
}): LocalCloudOutputs {
  return {
    ApiUrl: options.baseUrl,
    TableName: options.names.table,
    KeyTableName: options.names.keyTable,
    BucketName: options.names.bucket,
    UserPoolId: options.userPoolId,
    UserPoolClientId: options.userPoolClientId,
    IssuerUrl: options.issuerUrl,
    KmsKeyArn: placeholderKmsKeyArn(options.region),
    EnvironmentSuffix: options.environmentSuffix,
    ApiKey: options.apiKey,
    DynamoDbEndpoint: options.dynamoDbEndpoint,
  };
}

/** Writes outputs as JSON, replacing the file atomically (readers never see half of it). */
export async function writeOutputs(outputs: LocalCloudOutputs, file: string): Promise<void> {
  await replaceFile(file, `${JSON.stringify(outputs, null, 2)}\n`);
}
