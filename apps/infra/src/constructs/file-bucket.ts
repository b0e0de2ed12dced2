import { Duration, Lazy, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, type PolicyDocument } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type CfnBucketPolicy,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CORS_POLICY, PRESIGNED_URL_TTL_SECONDS } from '@tap/contracts';

/** Props of {@link FileBucket}. */
export interface FileBucketProps {
  /** Physical bucket name (globally unique: it carries the account and region). */
  readonly bucketName: string;
  /** Customer-managed key encrypting the objects. */
  readonly encryptionKey: IKey;
  /** Origins whose pages may PUT and GET objects through presigned URLs. */
  readonly corsAllowOrigins: readonly string[];
  /**
   * Protected environments retain the bucket and its objects; disposable ones empty and
   * delete it with the stack.
   */
  readonly isProtected: boolean;
  /** Days S3 keeps an object version after it is overwritten or deleted. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days after which S3 aborts a multipart upload that was never completed. */
  readonly abortIncompleteMultipartUploadDays: number;
}

/**
 * Longest age of a presigned request's signature the bucket accepts: the API's presign
 * lifetime. A URL presigned for longer still stops working once its signature is this old.
 */
export const PRESIGNED_SIGNATURE_MAX_AGE_MS = PRESIGNED_URL_TTL_SECONDS * 1000;

/**
 * Headers a browser's PUT to a presigned URL carries (CORS preflight). The API signs
 * `if-none-match: *` into upload URLs, so an upload can never overwrite an object.
 */
export const UPLOAD_ALLOWED_HEADERS: readonly string[] = [
  'content-type',
  'content-length',
  'x-amz-meta-file-name',
  'if-none-match',
];

/**
 * What the CDK's auto-delete-objects provider calls (`GetBucketTagging` to check it owns
 * the bucket, `Get/PutBucketPolicy` to stop new uploads, `ListObjectVersions`,
 * `DeleteObjects` of every version), replacing the wildcard actions the CDK grants it.
 */
export const AUTO_DELETE_ACTIONS: readonly string[] = [
  's3:GetBucketTagging',
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:ListBucketVersions',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
];

/** The actions the CDK grants the auto-delete provider in the bucket policy. */
const CDK_AUTO_DELETE_ACTIONS = [
  's3:DeleteObject*',
  's3:GetBucket*',
  's3:List*',
  's3:PutBucketPolicy',
];

interface StatementJson {
  readonly Action?: string | string[];
  readonly [key: string]: unknown;
}

/**
 * The bucket holding the items' files (under `tenants/<tenant>/items/`). Private, TLS only, versioned so
 * an overwrite or delete can be undone, SSE-KMS with an S3 bucket key so KMS is called
 * once per bucket key rather than per object.
 *
 * Browsers upload and download through presigned URLs, so the bucket carries the same
 * CORS origins as the API, and refuses presigned requests whose signature is older than
 * {@link PRESIGNED_SIGNATURE_MAX_AGE_MS}.
 *
 * Versions do not pile up: a noncurrent version expires after
 * `noncurrentVersionExpirationDays` (the window to undo an overwrite or a delete), and the
 * parts of a multipart upload never completed are dropped after
 * `abortIncompleteMultipartUploadDays`.
 *
 * A disposable environment's bucket is emptied and deleted with the stack; a protected
 * one's is retained with its objects.
 */
export class FileBucket extends Construct {
  /** The bucket. */
  public readonly bucket: Bucket;

  public constructor(scope: Construct, id: string, props: FileBucketProps) {
    super(scope, id);
    const autoDeleteObjects = !props.isProtected;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      cors: [
        {
          allowedOrigins: [...props.corsAllowOrigins],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedHeaders: [...UPLOAD_ALLOWED_HEADERS],
          // Lets the page read the uploaded object's ETag (S3 sends it capitalized).
          exposedHeaders: ['ETag'],
          maxAge: CORS_POLICY.maxAgeSeconds,
        },
      ],
      lifecycleRules: [
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
        },
        {
          id: 'AbortIncompleteMultipartUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(
            props.abortIncompleteMultipartUploadDays,
          ),
        },
      ],
      removalPolicy: props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects,
    });

    // Presigned (query-string) requests only: a header-signed request (the console, IAM
    // roles, the SDK) is signed as it is sent, so its signature is at most as old as the
    // clock skew S3 tolerates; scoping the deny keeps those requests out of it entirely.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyStalePresignedRequests',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:*'],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 's3:authType': 'REST-QUERY-STRING' },
          NumericGreaterThan: { 's3:signatureAge': PRESIGNED_SIGNATURE_MAX_AGE_MS },
        },
      }),
    );

    if (autoDeleteObjects) this.narrowAutoDeleteStatement();

    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Object access is recorded where it is authorized: the HTTP API access log and the ' +
        'api function log every request and presign; server access logs would need a second ' +
        'bucket, which cannot use the customer-managed key (log delivery supports SSE-S3 only).',
    });
  }

  /**
   * Replaces the wildcard actions (`s3:GetBucket*`, `s3:List*`, `s3:DeleteObject*`) the CDK
   * gives its auto-delete provider in the bucket policy by the exact actions it calls. The
   * CDK offers no option for it, so the rendered policy document is rewritten; if the CDK's
   * statement ever changes, it is left alone and the IAM wildcard test fails.
   */
  private narrowAutoDeleteStatement(): void {
    const policy = this.bucket.policy;
    if (policy === undefined) throw new Error('FileBucket: the bucket policy is missing');
    const document: PolicyDocument = policy.document;
    const cfnPolicy = policy.node.defaultChild as CfnBucketPolicy;
    const isCdkAutoDelete = (statement: StatementJson): boolean =>
      Array.isArray(statement.Action) &&
      JSON.stringify([...statement.Action].sort()) === JSON.stringify(CDK_AUTO_DELETE_ACTIONS);
    cfnPolicy.policyDocument = Lazy.uncachedAny({
      produce: (context) => {
        const rendered = document.resolve(context) as { Statement: StatementJson[] };
        return {
          ...rendered,
          Statement: rendered.Statement.map((statement) =>
            isCdkAutoDelete(statement)
              ? { ...statement, Action: [...AUTO_DELETE_ACTIONS] }
              : statement,
          ),
        };
      },
    });
  }
}
