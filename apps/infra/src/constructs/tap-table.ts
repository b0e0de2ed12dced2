import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  TableEncryptionV2,
  TableV2,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, KeyAttributeType, TableSchema } from '@tap/contracts';

/** The CDK spelling of each DynamoDB key attribute type. */
const KEY_ATTRIBUTE_TYPES: Readonly<Record<KeyAttributeType, AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: KEY_ATTRIBUTE_TYPES[key.type],
});

/** Props of {@link TapTable}. */
export interface TapTableProps {
  /** Physical table name. */
  readonly tableName: string;
  /**
   * The table's keys, billing and time to live, from the contract (`DATA_TABLE_SCHEMA`,
   * `KEY_TABLE_SCHEMA`, `FILE_TABLE_SCHEMA`, `IDEMPOTENCY_TABLE_SCHEMA`): the local cloud
   * creates its emulated tables from the same schema.
   */
  readonly schema: TableSchema;
  /** Customer-managed key encrypting the table at rest. */
  readonly encryptionKey: IKey;
  /**
   * Protected environments keep the table: retained when the stack goes, and deletion
   * protection on so not even a direct `DeleteTable` can drop it.
   */
  readonly isProtected: boolean;
}

/**
 * One of TAP's tables, shaped as its contract schema says (partition key, sort key when the
 * schema has one, on demand so an idle environment costs nothing, time to live on the
 * schema's attribute when it names one), encrypted with the
 * environment's key, point-in-time recovery on everywhere. A disposable environment's table
 * goes with its stack; a protected one's is retained and deletion-protected.
 */
export class TapTable extends Construct {
  /** The table. */
  public readonly table: TableV2;

  public constructor(scope: Construct, id: string, props: TapTableProps) {
    super(scope, id);
    const { schema } = props;
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: attribute(schema.partitionKey),
      sortKey: schema.sortKey === undefined ? undefined : attribute(schema.sortKey),
      // The schemas' only billing mode, PAY_PER_REQUEST.
      billing: Billing.onDemand(),
      // DynamoDB deletes expired records itself (within days, at no cost): readers still
      // check the attribute, since an expired record may linger until then.
      timeToLiveAttribute: schema.timeToLiveAttribute,
      encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.isProtected,
      removalPolicy: props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
