/**
 * The local cloud and the stack are two translations of one model (`deployedFunctions` in
 * `@tap/contracts`). This suite reads the template `nx run infra:synth` wrote (the target runs
 * before this project's tests) and checks, for every function, that what the local cloud
 * runs it with is what the stack deploys it with: the same variables with the same values,
 * once the template's tokens are resolved to the physical names they stand for and the
 * emulators' endpoints are put where AWS's would be. Only the keys Lambda itself sets and the
 * emulators' own settings are left out, by name.
 */
import {
  FUNCTION_NAMES,
  SECRETS_EXTENSION,
  TAP_REGION,
  deployedFunctions,
  resourceNames,
  userPoolIssuerUrl,
  type FunctionName,
  type TokenIssuerSettings,
} from '@tap/contracts';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  emulatorVariables,
  functionEnvironment,
  lambdaProvidedVariables,
  type EmulatorEndpoints,
} from '../src/lambda/function-environment';
import { functionSpecs } from '../src/lambda/function-specs';
import { LOCAL_ACCOUNT, LOCAL_USER_POOL_CLIENT_ID, LOCAL_USER_POOL_ID } from '../src/local-account';

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface Template {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs: Record<string, { readonly Value: unknown }>;
}

const CDK_OUT = path.join(WORKSPACE_ROOT, 'dist/apps/infra/cdk.out');

function readTemplate(): Template {
  const files = readdirSync(CDK_OUT).filter((file) => /^TapStack-.+\.template\.json$/.test(file));
  if (files.length !== 1) {
    throw new Error(`expected one synthesized TapStack in ${CDK_OUT}, found ${files.join(', ')}`);
  }
  return JSON.parse(readFileSync(path.join(CDK_OUT, files[0] ?? ''), 'utf8')) as Template;
}

/** The property holding the physical name a `Ref` of each resource type stands for. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  // A secret's `Ref` is its ARN; Secrets Manager (and the extension) accept its name too,
  // which is what the local cloud passes.
  'AWS::SecretsManager::Secret': 'Name',
};

/**
 * What a `Ref` of a resource without a chosen name stands for here: the user pool and its
 * app client get ids from Cognito, which the local cloud's stand-ins have fixed.
 */
const ASSIGNED_ID: Readonly<Record<string, string>> = {
  'AWS::Cognito::UserPool': LOCAL_USER_POOL_ID,
  'AWS::Cognito::UserPoolClient': LOCAL_USER_POOL_CLIENT_ID,
};

/**
 * What the stack's JWKS resource answers at deployment (the pool's keys), here: the value
 * both sides are given for it, since only a deployment reads the real one.
 */
const USER_POOL_JWKS = '{"keys":[]}';

/**
 * The user pool as the stack points the authorizer at it, in the local account. The local
 * cloud passes its own issuer's URL and JWKS instead (a test of its own checks that); the
 * translation of the model must be the same for the same issuer.
 */
const USER_POOL_TOKENS: TokenIssuerSettings = {
  issuer: userPoolIssuerUrl(TAP_REGION, LOCAL_USER_POOL_ID),
  clientIds: [LOCAL_USER_POOL_CLIENT_ID],
  jwks: USER_POOL_JWKS,
};

/** Resolves a template value to the string it stands for in the local account. */
function resolver(template: Template): (value: unknown) => string {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Region': TAP_REGION,
  };
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const token = value as Record<string, unknown>;
    if (typeof token['Ref'] === 'string') {
      const ref = token['Ref'];
      if (pseudo[ref] !== undefined) return pseudo[ref];
      const resource = template.Resources[ref];
      const assigned = resource ? ASSIGNED_ID[resource.Type] : undefined;
      if (assigned !== undefined) return assigned;
      const property = resource ? NAME_PROPERTY[resource.Type] : undefined;
      if (!resource || !property) throw new Error(`cannot resolve Ref ${ref}`);
      return resolve(resource.Properties?.[property]);
    }
    const getAtt = token['Fn::GetAtt'] as [string, string] | undefined;
    if (
      getAtt &&
      template.Resources[getAtt[0]]?.Type === 'Custom::UserPoolJwks' &&
      getAtt[1] === 'Jwks'
    ) {
      return USER_POOL_JWKS;
    }
    const join = token['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(resolve).join(join[0]);
    throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  };
  return resolve;
}

/** The Lambda functions of the template, by physical name. */
function templateFunctions(template: Template): Map<string, Record<string, unknown>> {
  const resolve = resolver(template);
  const functions = new Map<string, Record<string, unknown>>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = resource.Properties?.['FunctionName'];
    if (name === undefined) continue; // the CDK's own custom-resource providers
    functions.set(resolve(name), resource.Properties ?? {});
  }
  return functions;
}

/** A function's variables in the template, every token resolved. */
function stackVariables(template: Template, properties: Record<string, unknown>) {
  const resolve = resolver(template);
  const variables =
    (properties['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
    {};
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolve(value)]));
}

/** The emulators, listening where AWS's endpoints would be for what the model configures. */
const ENDPOINTS_AT_AWS_PORTS: EmulatorEndpoints = {
  dynamodb: 'http://127.0.0.1:4001',
  s3: 'http://127.0.0.1:4002',
  // The extension listens on the model's port inside the execution environment.
  secretsManager: `http://127.0.0.1:${SECRETS_EXTENSION.port}`,
};

/** What the local cloud runs a function with, less what Lambda and the emulators add. */
function localVariables(
  local: Record<string, string>,
  model: Parameters<typeof lambdaProvidedVariables>[0],
): Record<string, string> {
  const outside = new Set([
    ...Object.keys(lambdaProvidedVariables(model)),
    ...Object.keys(emulatorVariables(ENDPOINTS_AT_AWS_PORTS)),
  ]);
  return Object.fromEntries(Object.entries(local).filter(([key]) => !outside.has(key)));
}

describe('the local cloud runs every function as the stack deploys it', () => {
  const template = readTemplate();
  const suffix = resolver(template)(template.Outputs['EnvironmentSuffix']?.Value);
  const names = resourceNames(suffix, LOCAL_ACCOUNT);
  const models = deployedFunctions({ names, tokens: USER_POOL_TOKENS });
  const deployed = templateFunctions(template);
  const specs = functionSpecs({
    workspaceRoot: WORKSPACE_ROOT,
    names,
    endpoints: ENDPOINTS_AT_AWS_PORTS,
    tokens: USER_POOL_TOKENS,
  });

  it('finds every modelled function in the template, and no other', () => {
    expect([...deployed.keys()].sort()).toEqual(
      FUNCTION_NAMES.map((name) => names.functions[name]).sort(),
    );
  });

  it.each(FUNCTION_NAMES)(
    'gives %s the same variables with the same values',
    (name: FunctionName) => {
      const properties = deployed.get(names.functions[name]) ?? {};
      const local = localVariables(specs[name].env, models[name]);

      expect(local).toEqual(stackVariables(template, properties));
    },
  );

  it.each(FUNCTION_NAMES)(
    'gives %s the same memory, timeout, runtime, architecture and handler',
    (name: FunctionName) => {
      const properties = deployed.get(names.functions[name]) ?? {};
      const model = models[name];

      expect({
        MemorySize: specs[name].memoryMb,
        Timeout: specs[name].timeoutMs / 1000,
        Runtime: model.runtime,
        Architectures: [model.architecture],
        Handler: model.handler,
      }).toEqual({
        MemorySize: properties['MemorySize'],
        Timeout: properties['Timeout'],
        Runtime: properties['Runtime'],
        Architectures: properties['Architectures'],
        Handler: properties['Handler'],
      });
    },
  );

  it('leaves out nothing of the model: every modelled variable reaches the local function', () => {
    for (const name of FUNCTION_NAMES) {
      const env = functionEnvironment(models[name], ENDPOINTS_AT_AWS_PORTS);
      expect(env).toMatchObject(models[name].environment);
    }
  });

  it('runs every function at a log level asked for locally, and only that variable changes', () => {
    const debugging = functionSpecs({
      workspaceRoot: WORKSPACE_ROOT,
      names,
      endpoints: ENDPOINTS_AT_AWS_PORTS,
      tokens: USER_POOL_TOKENS,
      logLevel: 'DEBUG',
    });
    for (const name of FUNCTION_NAMES) {
      expect(debugging[name].env).toEqual({ ...specs[name].env, POWERTOOLS_LOG_LEVEL: 'DEBUG' });
      expect(specs[name].env['POWERTOOLS_LOG_LEVEL']).toBe(
        models[name].environment['POWERTOOLS_LOG_LEVEL'],
      );
    }
  });
});
