// The CloudFormation execution policy of a TAP account's CDK bootstrap, generated from
// what the stack creates, instead of the bootstrap's default AdministratorAccess. Usage:
//   tsx apps/infra/scripts/bootstrap-policy.ts <cloud assembly dir> [--account <id>] [--region <r>]
// prints the policy document (JSON) for
//   aws iam create-policy --policy-name tap-cfn-execution --policy-document file://policy.json
//   npx cdk bootstrap aws://<account>/us-west-2 \
//     --cloudformation-execution-policies arn:aws:iam::<account>:policy/tap-cfn-execution
// See docs/delivery.md. Regenerate it when the stack starts creating a new kind of resource:
// a deploy that needs a service the policy lacks fails with AccessDenied, and says which.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** An IAM policy statement, as the generator writes it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
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
  /** Prefix of every stack (and so of every role CloudFormation names). */
  readonly stackPrefix?: string;
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

/** Resource types of every template in a cloud assembly directory (`*.template.json`). */
export function resourceTypesInAssembly(assemblyDir: string): string[] {
  const types = new Set<string>();
  const templates = readdirSync(assemblyDir).filter((name) => name.endsWith('.template.json'));
  if (templates.length === 0) throw new Error(`${assemblyDir} holds no *.template.json`);
  for (const name of templates) {
    const template = JSON.parse(readFileSync(path.join(assemblyDir, name), 'utf8')) as {
      Resources?: Record<string, { Type: string }>;
    };
    for (const resource of Object.values(template.Resources ?? {})) types.add(resource.Type);
  }
  return [...types].sort();
}

/**
 * The execution policy for stacks made of `resourceTypes`: `<service>:*` for the services
 * they belong to, except IAM, where full access would be administrator access in
 * disguise: roles only under the stacks' prefix, which is how CloudFormation names the
 * roles the stack does not name. Plus what every CDK deployment reads: the bootstrap
 * version parameter.
 */
export function executionPolicy(
  resourceTypes: readonly string[],
  options: ExecutionPolicyOptions = {},
): PolicyDocument {
  const { account = '*', region = 'us-west-2', stackPrefix = 'TapStack-' } = options;
  const services = [
    ...new Set(resourceTypes.map(servicePrefixOf).filter((s): s is string => s !== undefined)),
  ].sort();
  const statements: PolicyStatement[] = [];
  const others = services.filter((service) => service !== 'iam');
  if (others.length > 0) {
    statements.push({
      Sid: 'ServicesTheStackCreates',
      Effect: 'Allow',
      Action: others.map((service) => `${service}:*`),
      Resource: '*',
    });
  }
  if (services.includes('iam')) {
    statements.push({
      Sid: 'RolesOfTheStacksOnly',
      Effect: 'Allow',
      Action: [
        'iam:AttachRolePolicy',
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:ListRoleTags',
        'iam:PassRole',
        'iam:PutRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
      ],
      Resource: `arn:aws:iam::${account}:role/${stackPrefix}*`,
    });
  }
  statements.push({
    Sid: 'CdkBootstrapVersion',
    Effect: 'Allow',
    Action: ['ssm:GetParameter', 'ssm:GetParameters'],
    Resource: `arn:aws:ssm:${region}:${account}:parameter/cdk-bootstrap/*`,
  });
  return { Version: '2012-10-17', Statement: statements };
}

/** `--name value` out of `args`. */
function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const [assemblyDir] = args;
  if (!assemblyDir || assemblyDir.startsWith('--')) {
    console.error(
      'Usage: tsx apps/infra/scripts/bootstrap-policy.ts <cloud assembly dir> [--account <id>] [--region <r>]',
    );
    process.exitCode = 2;
  } else {
    const policy = executionPolicy(resourceTypesInAssembly(assemblyDir), {
      account: option(args, 'account'),
      region: option(args, 'region'),
    });
    console.log(JSON.stringify(policy, null, 2));
  }
}
