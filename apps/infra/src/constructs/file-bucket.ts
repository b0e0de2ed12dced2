import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props of {@link FileBucket}. */
export interface FileBucketProps {
  /** Physical bucket name (globally unique: it carries the account and region). */
  readonly bucketName: string;
  /** Customer-managed key encrypting the objects. */
  readonly encryptionKey: IKey;
}

/**
 * The bucket holding the items' files (under `items/`). Private, TLS only, versioned so
 * an overwrite or delete can be undone, SSE-KMS with an S3 bucket key so KMS is called
 * once per bucket key rather than per object. Emptied and destroyed with the stack.
 */
export class FileBucket extends Construct {
  /** The bucket. */
  public readonly bucket: Bucket;

  public constructor(scope: Construct, id: string, props: FileBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
  }
}
