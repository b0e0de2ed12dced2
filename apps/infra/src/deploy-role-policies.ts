import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { resourceNames, TAP_REGION } from '@tap/contracts';
import { viaService, type Acknowledgement } from './access-policies';
import { stackName } from './stack-config';

/**
 * What the GitHub Actions roles of a TAP account may do, written out action by action as
 * the functions' are (`access-policies.ts`). Every ARN names the role's own account: no
 * statement here can reach another account.
 */

/** The CDK bootstrap's default qualifier (`cdk bootstrap` without `--qualifier`). */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** The bootstrap roles a deploying CDK CLI assumes; `lookup` alone serves `cdk diff`. */
export const BOOTSTRAP_ROLE_KINDS = ['deploy', 'file-publishing', 'lookup'] as const;

/** One of {@link BOOTSTRAP_ROLE_KINDS}. */
export type BootstrapRoleKind = (typeof BOOTSTRAP_ROLE_KINDS)[number];

/** Statements of a role and the cdk-nag findings they cause on purpose. */
export interface RoleGrant {
  readonly statements: readonly PolicyStatement[];
  readonly acknowledgements: readonly Acknowledgement[];
}

/** Where the statements point: one account, in TAP's region. */
export interface DeployAccount {
  readonly account: string;
  readonly region?: string;
  readonly qualifier?: string;
}

/** `arn:aws:iam::<account>:role/cdk-<qualifier>-<kind>-role-<account>-<region>`. */
export function bootstrapRoleArn(target: DeployAccount, kind: BootstrapRoleKind): string {
  const { account, region = TAP_REGION, qualifier = DEFAULT_BOOTSTRAP_QUALIFIER } = target;
  return `arn:aws:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-${region}`;
}

/** `arn:aws:iam::<account>:role/cdk-<qualifier>-cfn-exec-role-<account>-<region>`. */
export function cfnExecutionRoleArn(target: DeployAccount): string {
  const { account, region = TAP_REGION, qualifier = DEFAULT_BOOTSTRAP_QUALIFIER } = target;
  return `arn:aws:iam::${account}:role/cdk-${qualifier}-cfn-exec-role-${account}-${region}`;
}

/** The ARN of the stacks named `<stackPattern>` (a `*` allowed) of the account. */
const stackArn = (target: DeployAccount, stackPattern: string): string =>
  `arn:aws:cloudformation:${target.region ?? TAP_REGION}:${target.account}:stack/${stackPattern}/*`;

/** The cdk-nag finding of a wildcard resource. */
const nagResourceOf = (resource: string): string => `AwsSolutions-IAM5[Resource::${resource}]`;

/** A suffix no environment has: it stands for the suffix pattern in a name. */
const PLACEHOLDER_SUFFIX = 'placeholder-suffix';

/**
 * A physical name of the contract with the suffix replaced by `suffixPattern`, which may end
 * in `*` (`pr*`): the contract builds names from valid suffixes only.
 */
export function namePattern(
  name: (names: ReturnType<typeof resourceNames>) => string,
  suffixPattern: string,
): string {
  // Names do not depend on the account; any placeholder does.
  return name(resourceNames(PLACEHOLDER_SUFFIX, 'account')).replace(
    PLACEHOLDER_SUFFIX,
    suffixPattern,
  );
}

/**
 * Assuming the account's own bootstrap roles of the given kinds: what `cdk deploy` (all
 * three) and `cdk diff --method template` (`lookup`) do. The CLI tags its sessions, hence
 * `sts:TagSession` on the same roles.
 */
export function assumeBootstrapRoles(
  target: DeployAccount,
  kinds: readonly BootstrapRoleKind[],
): RoleGrant {
  return {
    statements: [
      new PolicyStatement({
        sid: 'AssumeOwnBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: kinds.map((kind) => bootstrapRoleArn(target, kind)),
      }),
    ],
    acknowledgements: [],
  };
}

/** Reading the outputs of the environments' stacks (`stackPattern`: `TapStack-prod`, `TapStack-pr*`). */
export function describeStacks(target: DeployAccount, stackPattern: string): RoleGrant {
  const resource = stackArn(target, stackPattern);
  return {
    statements: [
      new PolicyStatement({
        sid: 'DescribeTapStacks',
        actions: ['cloudformation:DescribeStacks'],
        resources: [resource],
      }),
    ],
    acknowledgements: [
      {
        id: nagResourceOf(resource),
        reason:
          'CloudFormation stack ARNs end in a stack id unknown before creation; the name ' +
          'is fixed (or a TapStack- prefix) and the account is this one.',
      },
    ],
  };
}

/**
 * What the integration suite does to a deployed stack besides calling its API: it issues,
 * rotates and revokes machine keys in the environment's key table (`GetItem`, `PutItem`,
 * `UpdateItem`), which the environment's key encrypts. The key is made by the TAP stack,
 * so its id is unknown here: any key of the account, but only through DynamoDB and only
 * for the key tables named.
 *
 * @param suffixPattern The environment suffix, or a prefix ending in `*` (`pr*`).
 */
export function issueTestMachineKeys(target: DeployAccount, suffixPattern: string): RoleGrant {
  const region = target.region ?? TAP_REGION;
  const tableName = namePattern((names) => names.keyTable, suffixPattern);
  const tableArn = `arn:aws:dynamodb:${region}:${target.account}:table/${tableName}`;
  const keyArn = `arn:aws:kms:${region}:${target.account}:key/*`;
  const narrowing = 'through DynamoDB only (kms:ViaService) and only for the key tables named';
  return {
    statements: [
      new PolicyStatement({
        sid: 'IssueTestMachineKeys',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [tableArn],
      }),
      new PolicyStatement({
        sid: 'DecryptKeyTableThroughDynamoDb',
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': viaService('dynamodb', region) },
          StringLike: { 'kms:EncryptionContext:aws:dynamodb:tableName': tableName },
        },
      }),
    ],
    acknowledgements: [
      ...(tableName.includes('*')
        ? [
            {
              id: nagResourceOf(tableArn),
              reason:
                'Each pull request stack has its own key table, named after its suffix: the ' +
                'prefix of those names, in this account only.',
            },
          ]
        : []),
      {
        id: nagResourceOf(keyArn),
        reason: `The environment's key is created by its stack, after this role: any key of the account, ${narrowing}.`,
      },
    ],
  };
}

/**
 * The janitor: lists the stacks (`DescribeStacks` over the account, which names no stack),
 * deletes `TapStack-*` ones, and passes the bootstrap's execution role they were created
 * with, which CloudFormation deletes them with.
 */
export function janitorGrant(target: DeployAccount): RoleGrant {
  const tapStacks = stackArn(
    target,
    namePattern((names) => names.stack, '*'),
  );
  return {
    statements: [
      new PolicyStatement({
        sid: 'ListStacks',
        actions: ['cloudformation:DescribeStacks'],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'DeleteTapStacks',
        actions: ['cloudformation:DeleteStack'],
        resources: [tapStacks],
      }),
      new PolicyStatement({
        sid: 'DeleteWithTheExecutionRole',
        actions: ['iam:PassRole'],
        resources: [cfnExecutionRoleArn(target)],
        conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      }),
    ],
    acknowledgements: [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          '`DescribeStacks` without a stack name (listing the stacks to find expired ones) ' +
          'is authorized on `*` only; it reads stack metadata, nothing else.',
      },
      {
        id: nagResourceOf(tapStacks),
        reason:
          'The janitor deletes any expired TapStack-* of the development account, which ' +
          'holds no protected environment; the script never picks a protected suffix or a ' +
          'stack with termination protection.',
      },
    ],
  };
}

/**
 * Drift detection of one environment's stack: starting it (the reads it makes of each
 * resource, and the describe calls after, are the managed `ReadOnlyAccess`'s).
 */
export function detectDrift(target: DeployAccount, environmentSuffix: string): RoleGrant {
  const resource = stackArn(target, stackName(environmentSuffix));
  return {
    statements: [
      new PolicyStatement({
        sid: 'DetectDrift',
        actions: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'],
        resources: [resource],
      }),
    ],
    acknowledgements: [
      {
        id: nagResourceOf(resource),
        reason: "The stack's id is unknown before creation: its fixed name, in this account only.",
      },
    ],
  };
}

/**
 * The data a read-only role never reads, whatever its managed policy allows: items, objects,
 * log lines, messages, users, secrets and what the key decrypts. Drift detection and
 * `cdk diff` read resources' configuration (control plane), never their contents, so a
 * role holding `ReadOnlyAccess` for them loses nothing by this, and a workflow that gets
 * hold of it reads no production data.
 */
export const DATA_READ_ACTIONS: readonly string[] = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:PartiQLSelect',
  'dynamodb:Query',
  'dynamodb:Scan',
  's3:GetObject',
  's3:GetObjectVersion',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
  'logs:GetLogRecord',
  'logs:GetQueryResults',
  'logs:StartLiveTail',
  'logs:StartQuery',
  'sqs:ReceiveMessage',
  'cognito-idp:AdminGetUser',
  'cognito-idp:ListUsers',
  'secretsmanager:GetSecretValue',
  'kms:Decrypt',
];

/** An explicit deny of {@link DATA_READ_ACTIONS}, which no allow can override. */
export function denyDataReads(): RoleGrant {
  return {
    statements: [
      new PolicyStatement({
        sid: 'NoDataReads',
        effect: Effect.DENY,
        actions: [...DATA_READ_ACTIONS],
        resources: ['*'],
      }),
    ],
    acknowledgements: [],
  };
}

/** The grants' statements and acknowledgements, together. */
export function combine(...grants: readonly RoleGrant[]): RoleGrant {
  return {
    statements: grants.flatMap((grant) => grant.statements),
    acknowledgements: grants.flatMap((grant) => grant.acknowledgements),
  };
}
