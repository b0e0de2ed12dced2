import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DATA_TABLE_SCHEMA, type KeyAttributeType } from '@tap/contracts';

/** The CDK spelling of each DynamoDB key attribute type. */
const KEY_ATTRIBUTE_TYPES: Readonly<Record<KeyAttributeType, AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

/** Props of {@link DataTable}. */
export interface DataTableProps {
  /** Physical table name. */
  readonly tableName: string;
  /** Customer-managed key encrypting the table at rest. */
  readonly encryptionKey: IKey;
  /**
   * Protected environments keep the table: retained when the stack goes, and deletion
   * protection on so not even a direct `DeleteTable` can drop it.
   */
  readonly isProtected: boolean;
}

/**
 * The items table, shaped as `DATA_TABLE_SCHEMA` says (one item per `id`, on demand so an
 * idle environment costs nothing; the local cloud creates the same), point-in-time recovery
 * on everywhere. A disposable environment's table goes with its stack; a protected one's is
 * retained and deletion-protected.
 */
export class DataTable extends Construct {
  /** The table. */
  public readonly table: TableV2;

  public constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: {
        name: DATA_TABLE_SCHEMA.partitionKey.name,
        type: KEY_ATTRIBUTE_TYPES[DATA_TABLE_SCHEMA.partitionKey.type],
      },
      // The schema's only billing mode, PAY_PER_REQUEST.
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.isProtected,
      removalPolicy: props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
