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

/** ARNs of the file and idempotency tables (the api function's, the files function's). */
export interface FileTableResources {
  readonly fileTableArn: string;
}

/**
 * What the key statements are narrowed to: the region the services call KMS from, and the
 * names of the tables whose data the function reads or writes (DynamoDB's encryption
 * context names the table).
 */
export interface KeyUseResources {
  readonly keyArn: string;
  /** The stack's region: KMS sees `<service>.<region>.amazonaws.com` as `kms:ViaService`. */
  readonly region: string;
}

/**
 * The `kms:ViaService` value of `service` calling KMS on the caller's behalf: the key is
 * usable through that service only, never by a direct KMS call with the role's
 * credentials (which could decrypt anything the key ever encrypted).
 */
export const viaService = (service: string, region: string): string =>
  `${service}.${region}.amazonaws.com`;

/**
 * DynamoDB reads and writes of customer-managed-key tables: DynamoDB decrypts the table
 * key with the caller's credentials (`kms:Decrypt`, nothing else: the table key's data keys
 * stay inside DynamoDB), and names the table in the encryption context.
 */
export function decryptTablesStatement(
  sid: string,
  key: KeyUseResources,
  tableNames: readonly string[],
): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions: ['kms:Decrypt'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': viaService('dynamodb', key.region),
        'kms:EncryptionContext:aws:dynamodb:tableName': [...tableNames],
      },
    },
  });
}

/**
 * SSE-KMS objects of the files bucket: S3 generates the data key of a write
 * (`kms:GenerateDataKey`) and decrypts it for a read (`kms:Decrypt`) with the caller's
 * credentials, the signer's for a presigned URL. With a bucket key the encryption context
 * is the bucket's ARN; an object written before the bucket key has its own ARN there.
 */
export function objectKeyStatement(
  sid: string,
  actions: readonly ('kms:Decrypt' | 'kms:GenerateDataKey')[],
  key: KeyUseResources,
  bucketArn: string,
): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions: [...actions],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': viaService('s3', key.region) },
      StringLike: {
        'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/${ITEM_FILES_PREFIX}*`],
      },
    },
  });
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
 * its partition; no `Scan`), the items' file records (an item's files are one partition:
 * `Query`; an item's deletion removes them in batches), its idempotency records, the files
 * of items under `tenants/` (listing restricted to that prefix), the key for SSE-KMS
 * objects and presigned URLs, and the cursor signing key.
 *
 * `TransactWriteItems` is no IAM action: DynamoDB authorizes each of its operations as
 * the action it performs (`PutItem`, `UpdateItem`, `DeleteItem`, `ConditionCheckItem`) on
 * its table, so a transaction over an item and its file records needs exactly those.
 */
export function apiFunctionStatements(
  resources: AccessPolicyResources &
    FileTableResources &
    KeyUseResources & {
      readonly idempotencyTableArn: string;
      readonly cursorKeySecretArn: string;
      /** Names of the data, file and idempotency tables, as DynamoDB's encryption context has them. */
      readonly tableNames: readonly string[];
    },
): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadWriteItems',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:Query',
      ],
      resources: [resources.tableArn],
    }),
    new PolicyStatement({
      sid: 'ReadWriteFileRecords',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:Query',
      ],
      resources: [resources.fileTableArn],
    }),
    // Powertools Idempotency's persistence layer: get, put (conditional), update, delete.
    new PolicyStatement({
      sid: 'ReadWriteIdempotencyRecords',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
      resources: [resources.idempotencyTableArn],
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
      sid: 'ReadCursorSigningKey',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [resources.cursorKeySecretArn],
    }),
    // The key, through each service that uses it for the function; no `kms:Encrypt`: none
    // of them calls it (they generate data keys instead).
    decryptTablesStatement('DecryptTablesThroughDynamoDb', resources, resources.tableNames),
    objectKeyStatement(
      'UseFileKeyThroughS3',
      ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources,
      resources.bucketArn,
    ),
    // Secrets Manager decrypts a secret value with the caller's credentials, the secret's
    // ARN in the encryption context.
    new PolicyStatement({
      sid: 'DecryptCursorSigningKeyThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [resources.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': viaService('secretsmanager', resources.region),
          'kms:EncryptionContext:SecretARN': resources.cursorKeySecretArn,
        },
      },
    }),
  ];
}

/**
 * The files function confirms an upload when the bucket reports the new object: it reads
 * the object's metadata (`HeadObject`, authorized as `s3:GetObject`), checks it against the
 * file record, and either confirms the record or deletes the object and the record,
 * releasing its share of the item's caps on the item (conditional updates, in one
 * transaction with a condition check). Nothing is listed, nothing written to the bucket.
 *
 * The bucket is named by its ARN built from its name, not by a reference to it: the
 * bucket's notification refers to this function, so the function cannot refer back.
 */
export function filesFunctionStatements(
  resources: AccessPolicyResources &
    FileTableResources &
    KeyUseResources & {
      /** The queue keeping the events the function failed on after its retries. */
      readonly deadLetterQueueArn: string;
      /** Names of the data and file tables, as DynamoDB's encryption context has them. */
      readonly tableNames: readonly string[];
    },
): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'UpdateItemFileTotals',
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      resources: [resources.tableArn],
    }),
    new PolicyStatement({
      sid: 'ConfirmFileRecords',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
      ],
      resources: [resources.fileTableArn],
    }),
    new PolicyStatement({
      sid: 'CheckOrDeleteUploadedFiles',
      actions: ['s3:GetObject', 's3:DeleteObject'],
      resources: [`${resources.bucketArn}/${ITEM_FILES_PREFIX}*`],
    }),
    // Lambda sends an event that failed every attempt with the function's own role.
    new PolicyStatement({
      sid: 'SendToDeadLetterQueue',
      actions: ['sqs:SendMessage'],
      resources: [resources.deadLetterQueueArn],
    }),
    decryptTablesStatement('DecryptTablesThroughDynamoDb', resources, resources.tableNames),
    // HeadObject of an SSE-KMS object: decrypt only, never a new data key (nothing is
    // written to the bucket).
    objectKeyStatement('DecryptUploadsThroughS3', ['kms:Decrypt'], resources, resources.bucketArn),
    // SQS encrypts a message sent to the encrypted queue with a data key it generates (and
    // decrypts again while it reuses it) with the sender's credentials, in the encryption
    // context `aws:sqs:arn`, the queue's ARN: held to the dead-letter queue alone.
    new PolicyStatement({
      sid: 'UseQueueKeyThroughSqs',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [resources.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': viaService('sqs', resources.region),
          'kms:EncryptionContext:aws:sqs:arn': resources.deadLetterQueueArn,
        },
      },
    }),
  ];
}

/**
 * The cdk-nag finding {@link apiFunctionStatements} and {@link filesFunctionStatements}
 * cause: object keys are only known as a prefix, so the object statements end in
 * `tenants/*`.
 *
 * @param bucketResource The bucket's ARN as cdk-nag names it in the finding: `<LogicalId.Arn>`
 *   for the api function's reference, the rendered ARN for the files function's.
 */
export function itemFilesAcknowledgements(bucketResource: string): Acknowledgement[] {
  return [
    {
      id: `AwsSolutions-IAM5[Resource::${bucketResource}/${ITEM_FILES_PREFIX}*]`,
      reason:
        `Item files are objects under the \`${ITEM_FILES_PREFIX}\` prefix whose keys the api ` +
        'function creates; the prefix wildcard is the narrowest resource covering them.',
    },
  ];
}

/**
 * A resource of a statement as cdk-nag writes it in a finding id: the resolved
 * CloudFormation value flattened, `Ref`s as `<Name>`, `GetAtt`s as `<LogicalId.Attribute>`.
 *
 * @param resolved The value after `Stack.resolve`.
 */
export function nagResourceName(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  const token = resolved as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Join'?: [string, unknown[]];
  };
  if (token.Ref !== undefined) return `<${token.Ref}>`;
  if (token['Fn::GetAtt'] !== undefined) return `<${token['Fn::GetAtt'].join('.')}>`;
  if (token['Fn::Join'] !== undefined) {
    return token['Fn::Join'][1].map(nagResourceName).join(token['Fn::Join'][0]);
  }
  throw new Error(`nagResourceName: unexpected value ${JSON.stringify(resolved)}`);
}

/**
 * The cdk-nag finding {@link apiFunctionStatements} causes.
 *
 * @param bucketLogicalId Logical id of the files bucket, as cdk-nag names the resource.
 */
export function apiFunctionAcknowledgements(bucketLogicalId: string): Acknowledgement[] {
  return itemFilesAcknowledgements(`<${bucketLogicalId}.Arn>`);
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
export function authorizerFunctionStatements(
  resources: KeyUseResources & {
    readonly keyTableArn: string;
    readonly keyTableName: string;
  },
): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadMachineKey',
      actions: ['dynamodb:GetItem'],
      resources: [resources.keyTableArn],
    }),
    decryptTablesStatement('DecryptMachineKeyThroughDynamoDb', resources, [resources.keyTableName]),
  ];
}
