import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

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
 * The items table: one item per `id`, on-demand so an idle environment costs nothing,
 * point-in-time recovery on everywhere. A disposable environment's table goes with its
 * stack; a protected one's is retained and deletion-protected.
 */
export class DataTable extends Construct {
  /** The table. */
  public readonly table: TableV2;

  public constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: 'id', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.isProtected,
      removalPolicy: props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
