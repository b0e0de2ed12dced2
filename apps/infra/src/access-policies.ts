import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FILES_PREFIX } from '@tap/contracts';

/**
 * Least-privilege statements of each function, written action by action: the `grant*`
 * helpers of the CDK add wildcard actions (`s3:List*`, `kms:GenerateDataKey*`, ...).
 * Each statement has a `Sid` so a reviewer (and the tests) can name it. Writing their own
 * logs and traces ({@link writeTracesStatement}) is added by `TapFunction` itself.
 */

/** Prefix of the object keys the api function reads and writes in the files bucket. */
export const ITEM_FILES_PREFIX = FILES_PREFIX;

/** A cdk-nag finding a statement causes on purpose, and why it is safe. */
export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** ARNs the functions' statements refer to. */
export interface AccessPolicyResources {
  readonly tableArn: string;
  readonly bucketArn: string;
  readonly keyArn: string;
}

/**
 * The health function checks that the table and the bucket answer: `DescribeTable`, and
 * `HeadBucket` (which S3 authorizes as `s3:ListBucket`).
 */
export function healthFunctionStatements(resources: AccessPolicyResources): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'DescribeDataTable',
      actions: ['dynamodb:DescribeTable'],
      resources: [resources.tableArn],
    }),
    new PolicyStatement({
      sid: 'HeadFileBucket',
      actions: ['s3:ListBucket'],
      resources: [resources.bucketArn],
    }),
  ];
}

/**
 * The api function: item CRUD on the table and listing by `Query` (a tenant's items share
 * its partition; no `Scan`), the files of items under `tenants/` (listing restricted to that
 * prefix), the key for SSE-KMS objects and presigned URLs, and the cursor signing key.
 */
export function apiFunctionStatements(
  resources: AccessPolicyResources & { readonly cursorKeySecretArn: string },
): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadWriteItems',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
      ],
      resources: [resources.tableArn],
    }),
    new PolicyStatement({
      sid: 'ListItemFiles',
      actions: ['s3:ListBucket'],
      resources: [resources.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${ITEM_FILES_PREFIX}*` } },
    }),
    new PolicyStatement({
      sid: 'ReadWriteItemFiles',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`${resources.bucketArn}/${ITEM_FILES_PREFIX}*`],
    }),
    new PolicyStatement({
      sid: 'UseDataKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [resources.keyArn],
    }),
    new PolicyStatement({
      sid: 'ReadCursorSigningKey',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [resources.cursorKeySecretArn],
    }),
  ];
}

/**
 * The cdk-nag finding {@link apiFunctionStatements} causes: object keys are only known as a
 * prefix, so `ReadWriteItemFiles` ends in `tenants/*`.
 *
 * @param bucketLogicalId Logical id of the files bucket, as cdk-nag names the resource.
 */
export function apiFunctionAcknowledgements(bucketLogicalId: string): Acknowledgement[] {
  return [
    {
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${ITEM_FILES_PREFIX}*]`,
      reason:
        `Item files are objects under the \`${ITEM_FILES_PREFIX}\` prefix whose keys the api ` +
        'function creates; the prefix wildcard is the narrowest resource covering them.',
    },
  ];
}

/**
 * X-Ray tracing (every function has active tracing). The two actions support no
 * resource-level permissions, so `*` is the only resource they take.
 */
export function writeTracesStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'WriteTraces',
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    resources: ['*'],
  });
}

/**
 * The authorizer verifies a user's access token in memory against the user pool's public
 * keys (fetched over HTTPS, no permission needed) and looks a machine key up with one
 * `GetItem` on the key table, which the environment's key encrypts. Nothing else: no
 * secret, no write, no Query or Scan of the key table.
 */
export function authorizerFunctionStatements(resources: {
  readonly keyTableArn: string;
  readonly keyArn: string;
}): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadMachineKey',
      actions: ['dynamodb:GetItem'],
      resources: [resources.keyTableArn],
    }),
    new PolicyStatement({
      sid: 'DecryptMachineKey',
      actions: ['kms:Decrypt'],
      resources: [resources.keyArn],
    }),
  ];
}
