// The CloudFormation execution policy of a TAP account's CDK bootstrap, generated from
// what the stack creates, instead of the bootstrap's default AdministratorAccess, and the
// permissions boundary of every role the stack creates. Usage:
//   tsx apps/infra/scripts/bootstrap-policy.ts <cloud assembly dir>... [--account <id>] \
//     [--region <r>] [--boundary]
// prints the execution policy document (JSON) for the stacks of the assemblies, or with
// --boundary the boundary's (the union over them: give it a protected and a disposable
// assembly, whose roles differ), for
//   aws iam create-policy --policy-name tap-permissions-boundary --policy-document file://boundary.json
//   aws iam create-policy --policy-name tap-cfn-execution --policy-document file://policy.json
//   npx cdk bootstrap aws://<account>/us-west-2 \
//     --cloudformation-execution-policies arn:aws:iam::<account>:policy/tap-cfn-execution
// See docs/delivery.md. Regenerate both when the stack starts creating a new kind of
// resource or its roles use a new action: a deploy that needs a service the policy lacks
// fails with AccessDenied, and says which.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PERMISSIONS_BOUNDARY_NAME, permissionsBoundaryArn } from '../src/permissions-boundary';

/** An IAM policy statement, as the generator writes it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Options of {@link executionPolicy}. */
export interface ExecutionPolicyOptions {
  /** The account the policy is for; `*` matches any (a policy is per account anyway). */
  readonly account?: string;
  readonly region?: string;
  /** Prefix of every stack (and so of every role and function CloudFormation names). */
  readonly stackPrefix?: string;
  /** Prefix of the functions the stack names itself (`resourceNames`: `tap-<fn>-<suffix>`). */
  readonly functionPrefix?: string;
  /**
   * The functions the templates name ({@link functionNamesInAssembly}): each must start
   * with `functionPrefix`, or the execution policy would not let CloudFormation create it.
   */
  readonly functionNames?: readonly string[];
}

/**
 * IAM service prefixes of CloudFormation namespaces whose prefix is not their lowercased
 * name. Every other `AWS::<Service>::<Type>` maps to `<service>`.
 */
const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  ApiGatewayV2: 'apigateway',
  ApiGateway: 'apigateway',
  ApplicationAutoScaling: 'application-autoscaling',
  CertificateManager: 'acm',
  Cognito: 'cognito-idp',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  StepFunctions: 'states',
};

/** Types that create nothing of a service's own. */
const NOT_A_SERVICE = new Set(['AWS::CDK::Metadata']);

/**
 * The IAM service prefix that creates resources of a CloudFormation type, `undefined` for
 * a type that needs no service (CDK metadata). Custom resources are Lambda invocations.
 */
export function servicePrefixOf(resourceType: string): string | undefined {
  if (NOT_A_SERVICE.has(resourceType)) return undefined;
  if (
    resourceType.startsWith('Custom::') ||
    resourceType === 'AWS::CloudFormation::CustomResource'
  ) {
    return 'lambda';
  }
  const [vendor, service] = resourceType.split('::');
  if (vendor !== 'AWS' || !service) throw new Error(`Unknown resource type ${resourceType}`);
  if (resourceType === 'AWS::Cognito::IdentityPool') return 'cognito-identity';
  return SERVICE_PREFIXES[service] ?? service.toLowerCase();
}

/** A CloudFormation template, as far as the generator reads it. */
export interface CfnTemplate {
  readonly Resources?: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}

/** Every template (`*.template.json`) of a cloud assembly directory. */
export function templatesInAssembly(assemblyDir: string): CfnTemplate[] {
  const templates = readdirSync(assemblyDir).filter((name) => name.endsWith('.template.json'));
  if (templates.length === 0) throw new Error(`${assemblyDir} holds no *.template.json`);
  return templates
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(assemblyDir, name), 'utf8')) as CfnTemplate);
}

/** Resource types of templates. */
export function resourceTypesOf(templates: readonly CfnTemplate[]): string[] {
  const types = new Set<string>();
  for (const template of templates) {
    for (const resource of Object.values(template.Resources ?? {})) types.add(resource.Type);
  }
  return [...types].sort();
}

/** Resource types of every template in a cloud assembly directory (`*.template.json`). */
export function resourceTypesInAssembly(assemblyDir: string): string[] {
  return resourceTypesOf(templatesInAssembly(assemblyDir));
}

/** The function names the templates set themselves (the others CloudFormation generates). */
export function functionNamesOf(templates: readonly CfnTemplate[]): string[] {
  return templates.flatMap((template) =>
    Object.values(template.Resources ?? {})
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Properties?.FunctionName)
      .filter((name): name is string => typeof name === 'string'),
  );
}

/**
 * Lambda types whose every API call is on a function (`function:<name>`, a version or an
 * alias of it): the execution policy can hold Lambda to the stack's functions while the
 * stack creates only these (and custom resources, which CloudFormation invokes).
 */
const FUNCTION_SCOPED_LAMBDA_TYPES = new Set([
  'AWS::Lambda::Alias',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
]);

/** IAM actions on a role that can change what it may do: only with the boundary. */
export const BOUNDED_ROLE_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
];

/** The other IAM actions CloudFormation calls on the stack's roles. */
const OTHER_ROLE_ACTIONS: readonly string[] = [
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListRolePolicies',
  'iam:ListRoleTags',
  'iam:PassRole',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/**
 * The execution policy for stacks made of `resourceTypes`: `<service>:*` for the services
 * they belong to, except
 * - IAM, where full access would be administrator access in disguise: roles only under
 *   the stacks' prefix (how CloudFormation names the roles the stack does not name), and
 *   created or given a policy only with the permissions boundary
 *   (`iam:PermissionsBoundary`), which cannot be removed nor the boundary policy changed:
 *   a stack cannot make a role more than {@link permissionsBoundaryPolicy} allows;
 * - Lambda, held to the stack's functions (`tap-*`, and `TapStack-*` for the ones
 *   CloudFormation names) while the stack creates nothing of Lambda but functions and
 *   what hangs off them.
 * Plus what every CDK deployment reads: the bootstrap version parameter.
 */
export function executionPolicy(
  resourceTypes: readonly string[],
  options: ExecutionPolicyOptions = {},
): PolicyDocument {
  const {
    account = '*',
    region = 'us-west-2',
    stackPrefix = 'TapStack-',
    functionPrefix = 'tap-',
  } = options;
  const services = [
    ...new Set(resourceTypes.map(servicePrefixOf).filter((s): s is string => s !== undefined)),
  ].sort();
  const lambdaScoped =
    services.includes('lambda') &&
    resourceTypes
      .filter((type) => servicePrefixOf(type) === 'lambda')
      .every(
        (type) =>
          FUNCTION_SCOPED_LAMBDA_TYPES.has(type) ||
          type.startsWith('Custom::') ||
          type === 'AWS::CloudFormation::CustomResource',
      );
  if (lambdaScoped) {
    const strays = (options.functionNames ?? []).filter(
      (name) => !name.startsWith(functionPrefix) && !name.startsWith(stackPrefix),
    );
    if (strays.length > 0) {
      throw new Error(
        `Functions named outside ${functionPrefix}* and ${stackPrefix}*: ${strays.join(', ')}`,
      );
    }
  }
  const statements: PolicyStatement[] = [];
  const others = services.filter(
    (service) => service !== 'iam' && !(service === 'lambda' && lambdaScoped),
  );
  if (others.length > 0) {
    statements.push({
      Sid: 'ServicesTheStackCreates',
      Effect: 'Allow',
      Action: others.map((service) => `${service}:*`),
      Resource: '*',
    });
  }
  if (lambdaScoped) {
    statements.push({
      Sid: 'FunctionsOfTheStacksOnly',
      Effect: 'Allow',
      Action: ['lambda:*'],
      Resource: [functionPrefix, stackPrefix].map(
        (prefix) => `arn:aws:lambda:${region}:${account}:function:${prefix}*`,
      ),
    });
  }
  if (services.includes('iam')) {
    const roles = `arn:aws:iam::${account}:role/${stackPrefix}*`;
    const boundary = permissionsBoundaryArn(account);
    statements.push(
      {
        Sid: 'RolesOfTheStacksOnlyWithTheBoundary',
        Effect: 'Allow',
        Action: BOUNDED_ROLE_ACTIONS,
        Resource: roles,
        // `*` when the policy is for any account: a pattern, hence StringLike.
        Condition: {
          [account === '*' ? 'StringLike' : 'StringEquals']: {
            'iam:PermissionsBoundary': boundary,
          },
        },
      },
      { Sid: 'RolesOfTheStacksOnly', Effect: 'Allow', Action: OTHER_ROLE_ACTIONS, Resource: roles },
      {
        Sid: 'NeverARoleWithoutTheBoundary',
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary'],
        Resource: '*',
      },
      {
        Sid: 'NeverAnotherBoundary',
        Effect: 'Deny',
        Action: [
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:SetDefaultPolicyVersion',
        ],
        Resource: boundary,
      },
    );
  }
  statements.push({
    Sid: 'CdkBootstrapVersion',
    Effect: 'Allow',
    Action: ['ssm:GetParameter', 'ssm:GetParameters'],
    Resource: `arn:aws:ssm:${region}:${account}:parameter/cdk-bootstrap/*`,
  });
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The actions of the AWS managed policies the stack attaches, by name (under
 * `arn:aws:iam::aws:policy/`), copied from their current default version: a boundary
 * can only name actions. A role attaching any other managed policy fails the generator,
 * so a new one is looked at before it is allowed.
 */
export const AWS_MANAGED_POLICY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // The role of CDK's auto-delete-objects provider (disposable stacks): its logs.
  'service-role/AWSLambdaBasicExecutionRole': [
    'logs:CreateLogGroup',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
  ],
  // CodeDeploy's role (protected stacks): shift the aliases, watch the alarms.
  'service-role/AWSCodeDeployRoleForLambdaLimited': [
    'cloudwatch:DescribeAlarms',
    'lambda:GetAlias',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:UpdateAlias',
    's3:GetObject',
    's3:GetObjectVersion',
  ],
};

/**
 * What no role of the stack may do, whatever a policy attached to it says: IAM (no role
 * escalates itself or makes another), the organization and the account, and assuming
 * roles (no role of the stack assumes one; the boundary would not hold a role it assumed).
 */
export const BOUNDARY_DENIED_ACTIONS: readonly string[] = [
  'account:*',
  'iam:*',
  'organizations:*',
  'sts:AssumeRole*',
];

/** `"iam:*"` as a test of an action. */
function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
    'i',
  );
  return regex.test(action);
}

interface StatementJson {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: unknown;
  readonly Principal?: unknown;
}

/** The policy documents (`{ Statement: [...] }`) anywhere under a value. */
function documentsUnder(value: unknown): { Statement: StatementJson[] }[] {
  if (Array.isArray(value)) return value.flatMap(documentsUnder);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.Statement)) return [record as { Statement: StatementJson[] }];
  return Object.values(record).flatMap(documentsUnder);
}

function actionsOf(statement: StatementJson): string[] {
  if (statement.NotAction !== undefined) {
    throw new Error('A NotAction statement cannot be turned into a boundary: list the actions');
  }
  const { Action: action } = statement;
  return action === undefined ? [] : typeof action === 'string' ? [action] : [...action];
}

/**
 * Every action the roles of the templates are allowed: their inline policies
 * (`Policies`), `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` documents, the AWS
 * managed policies they attach ({@link AWS_MANAGED_POLICY_ACTIONS}), and the statements
 * of resource policies (bucket, queue, topic, key...) naming one of the template's roles
 * as principal: a boundary caps those too when they name the role's ARN.
 *
 * @throws Error on an AWS managed policy the generator does not know.
 */
export function roleActionsOf(templates: readonly CfnTemplate[]): string[] {
  const actions = new Set<string>();
  const allow = (statements: readonly StatementJson[]): void => {
    for (const statement of statements) {
      if (statement.Effect === 'Allow')
        for (const action of actionsOf(statement)) actions.add(action);
    }
  };
  for (const template of templates) {
    const resources = Object.entries(template.Resources ?? {});
    const roleIds = resources.filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id]) => id);
    for (const [, resource] of resources) {
      const properties = resource.Properties ?? {};
      if (resource.Type === 'AWS::IAM::Role') {
        // Not the trust policy: whom the role trusts is no permission of the role.
        for (const document of documentsUnder(properties.Policies)) allow(document.Statement);
        for (const arn of (properties.ManagedPolicyArns as unknown[] | undefined) ?? []) {
          const rendered = JSON.stringify(arn);
          if (rendered.startsWith('{"Ref"')) continue; // the template's own, walked below
          const name = /:iam::aws:policy\/([^"]+)"/.exec(rendered)?.[1];
          const known = name === undefined ? undefined : AWS_MANAGED_POLICY_ACTIONS[name];
          if (known === undefined) {
            throw new Error(
              `A role attaches ${rendered}: add its actions to AWS_MANAGED_POLICY_ACTIONS`,
            );
          }
          for (const action of known) actions.add(action);
        }
      } else if (resource.Type.startsWith('AWS::IAM::')) {
        for (const document of documentsUnder(properties)) allow(document.Statement);
      } else {
        for (const document of documentsUnder(properties)) {
          allow(
            document.Statement.filter((statement) => {
              const principal = JSON.stringify(statement.Principal ?? null);
              return roleIds.some((id) => principal.includes(`"${id}"`));
            }),
          );
        }
      }
    }
  }
  return [...actions].sort();
}

/**
 * The permissions boundary of every role of the stack (`tap-permissions-boundary`): the
 * actions its roles use ({@link roleActionsOf}), on any resource (each role's own policy
 * names its resources; the boundary caps the actions a role can ever get, whatever is
 * attached to it later), and an explicit deny of {@link BOUNDARY_DENIED_ACTIONS}.
 *
 * @throws Error when a role of the stack uses a denied action.
 */
export function permissionsBoundaryPolicy(templates: readonly CfnTemplate[]): PolicyDocument {
  const actions = roleActionsOf(templates);
  const denied = actions.filter((action) =>
    BOUNDARY_DENIED_ACTIONS.some((pattern) => matches(pattern, action)),
  );
  if (denied.length > 0) {
    throw new Error(`Roles of the stack use actions the boundary denies: ${denied.join(', ')}`);
  }
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'WhatTheStacksRolesUse', Effect: 'Allow', Action: actions, Resource: '*' },
      {
        Sid: 'NoIamNoOrganizationNoAssumedRoles',
        Effect: 'Deny',
        Action: BOUNDARY_DENIED_ACTIONS,
        Resource: '*',
      },
    ],
  };
}

export { PERMISSIONS_BOUNDARY_NAME };

/** `--name value` out of `args`. */
function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** The positional arguments of `args`: every one that is no option nor an option's value. */
function positionals(args: readonly string[]): string[] {
  const withValue = new Set(['--account', '--region']);
  return args.filter(
    (arg, index) => !arg.startsWith('--') && !withValue.has(args[index - 1] ?? ''),
  );
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const assemblyDirs = positionals(args);
  if (assemblyDirs.length === 0) {
    console.error(
      'Usage: tsx apps/infra/scripts/bootstrap-policy.ts <cloud assembly dir>... [--account <id>] [--region <r>] [--boundary]',
    );
    process.exitCode = 2;
  } else {
    const templates = assemblyDirs.flatMap(templatesInAssembly);
    const policy = args.includes('--boundary')
      ? permissionsBoundaryPolicy(templates)
      : executionPolicy(resourceTypesOf(templates), {
          account: option(args, 'account'),
          region: option(args, 'region'),
          functionNames: functionNamesOf(templates),
        });
    console.log(JSON.stringify(policy, null, 2));
  }
}
