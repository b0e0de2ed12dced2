/**
 * Test helpers: synthesize the stack the way the app does and look resources up by
 * what they are (their physical name), not by CDK's generated logical ids.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_NAMES, resourceNames, type FunctionName } from '@tap/contracts';
import { createApp, type CreateAppOptions } from '../app';
import type { TapStack } from '../tap-stack';

/** Suffix of the stacks the specs synthesize. */
export const TEST_SUFFIX = 'test';

/**
 * Accounts (fictitious) of the protected environments the specs synthesize: `prod` and
 * `staging` by default, `live` where a spec protects it by context.
 */
export const TEST_ACCOUNTS = {
  staging: '111111111111',
  prod: '222222222222',
  live: '333333333333',
} as const;

/** A developer's account, listed for no environment. */
export const DEVELOPER_ACCOUNT = '444444444444';

/**
 * Context a protected environment cannot synthesize without: its account, its CORS
 * origins and the sign-in and sign-out URLs of its SPA client, all explicit and https.
 */
export const PROTECTED_ENVIRONMENT_CONTEXT: Readonly<Record<string, unknown>> = {
  accounts: TEST_ACCOUNTS,
  corsAllowOrigins: ['https://app.example.com'],
  authCallbackUrls: ['https://app.example.com/callback'],
  authLogoutUrls: ['https://app.example.com/'],
};

/**
 * `createApp` options of a protected environment as its deploy job synthesizes it: the
 * context it needs (and `context` over it) and its listed account as `CDK_DEFAULT_ACCOUNT`.
 */
export function protectedApp(
  suffix: keyof typeof TEST_ACCOUNTS = 'prod',
  context: Readonly<Record<string, unknown>> = {},
): CreateAppOptions {
  return {
    environmentSuffix: suffix,
    env: { CDK_DEFAULT_ACCOUNT: TEST_ACCOUNTS[suffix] },
    context: { ...PROTECTED_ENVIRONMENT_CONTEXT, ...context },
  };
}

/** Every TAP function, in the contract's order. */
export { FUNCTION_NAMES };

/** Physical name of a function of the environment `suffix`. */
export function functionNameOf(fn: FunctionName, suffix: string = TEST_SUFFIX): string {
  // The function names do not depend on the account; any placeholder does.
  return resourceNames(suffix, 'account').functions[fn];
}

/** A synthesized stack and its template. */
export interface Synthesized {
  readonly stack: TapStack;
  readonly template: Template;
}

/**
 * Builds the stack through `createApp` (as `cdk synth` does, cdk-nag packs included: a
 * finding fails the synthesis), with an empty process environment so the developer's own
 * `ENVIRONMENT_SUFFIX` cannot leak in.
 */
export function synthesize(options: CreateAppOptions = {}): Synthesized {
  const { stack } = createApp({ environmentSuffix: TEST_SUFFIX, env: {}, ...options });
  return { stack, template: Template.fromStack(stack) };
}

/** A resource of the template, as CloudFormation reads it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** One IAM policy statement, as the template renders it. */
export interface StatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

/** A policy document, as the template renders it. */
export interface PolicyDocumentJson {
  readonly Statement: readonly StatementJson[];
}

/** All resources of the template, by logical id. */
export function resources(template: Template): Record<string, TemplateResource> {
  return (template.toJSON() as { Resources: Record<string, TemplateResource> }).Resources;
}

/**
 * The logical id of the only resource of `type` whose properties match `properties`.
 *
 * @throws Error unless exactly one resource matches.
 */
export function logicalIdOf(
  template: Template,
  type: string,
  properties: Record<string, unknown> = {},
): string {
  const found = Object.keys(
    template.findResources(type, { Properties: Match.objectLike(properties) }),
  );
  if (found.length !== 1) {
    throw new Error(
      `Expected one ${type} matching ${JSON.stringify(properties)}, found ${found.length}`,
    );
  }
  return found[0] as string;
}

/**
 * The logical id of the `live` alias of the function named `functionName`: what every
 * caller of a TAP function invokes.
 */
export function liveAliasIdOf(template: Template, functionName: string): string {
  const functionId = logicalIdOf(template, 'AWS::Lambda::Function', {
    FunctionName: functionName,
  });
  return logicalIdOf(template, 'AWS::Lambda::Alias', {
    FunctionName: { Ref: functionId },
    Name: 'live',
  });
}

/** `{ "Fn::GetAtt": [logicalId, "Arn"] }`. */
export const arnOf = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** `{ "Ref": logicalId }`. */
export const refTo = (logicalId: string): unknown => ({ Ref: logicalId });

/** The actions of a statement as a sorted list (the template holds a string for one). */
export function actionsOf(statement: StatementJson): string[] {
  const { Action: action } = statement;
  if (action === undefined) return [];
  return (typeof action === 'string' ? [action] : [...action]).sort();
}

/**
 * The statements of the execution role of the function named `functionName`, from the
 * role's inline policies and from any `AWS::IAM::Policy` attached to it.
 */
export function roleStatementsOfFunction(
  template: Template,
  functionName: string,
): StatementJson[] {
  const all = resources(template);
  const fn = all[logicalIdOf(template, 'AWS::Lambda::Function', { FunctionName: functionName })];
  const role = fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] };
  const roleId = role['Fn::GetAtt'][0];
  const inline = (all[roleId]?.Properties?.Policies ?? []) as {
    PolicyDocument: PolicyDocumentJson;
  }[];
  const attached = Object.values(all).filter(
    (resource) =>
      resource.Type === 'AWS::IAM::Policy' &&
      JSON.stringify(resource.Properties?.Roles).includes(`"${roleId}"`),
  );
  return [
    ...inline.flatMap((policy) => policy.PolicyDocument.Statement),
    ...attached.flatMap(
      (policy) => (policy.Properties?.PolicyDocument as PolicyDocumentJson).Statement,
    ),
  ];
}

/** A policy document of the template and where it sits. */
export interface LocatedPolicyDocument {
  /** `<logical id> <resource type>`, plus the policy name for inline role policies. */
  readonly source: string;
  readonly type: string;
  readonly document: PolicyDocumentJson;
}

/** Where each resource type keeps its policy document(s). */
const POLICY_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Policy': 'PolicyDocument',
  'AWS::IAM::ManagedPolicy': 'PolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy',
};

/**
 * Every policy document of the template: inline policies of roles, users and groups, IAM
 * policies, and the resource policies of buckets, topics, queues, keys and secrets.
 */
export function policyDocuments(template: Template): LocatedPolicyDocument[] {
  const documents: LocatedPolicyDocument[] = [];
  for (const [id, resource] of Object.entries(resources(template))) {
    const properties = resource.Properties ?? {};
    const property = POLICY_PROPERTIES[resource.Type];
    if (property !== undefined && properties[property] !== undefined) {
      documents.push({
        source: `${id} ${resource.Type}`,
        type: resource.Type,
        document: properties[property] as PolicyDocumentJson,
      });
    }
    if (['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.Type)) {
      for (const policy of (properties.Policies ?? []) as {
        PolicyName: string;
        PolicyDocument: PolicyDocumentJson;
      }[]) {
        documents.push({
          source: `${id} ${resource.Type} ${policy.PolicyName}`,
          type: resource.Type,
          document: policy.PolicyDocument,
        });
      }
    }
  }
  return documents;
}

/** The resources of a statement as a list (the template holds a single one as is). */
export function resourcesOf(statement: StatementJson): unknown[] {
  const { Resource: resource } = statement;
  if (resource === undefined) return [];
  return Array.isArray(resource) ? [...(resource as unknown[])] : [resource];
}
