import { Match, type Template } from 'aws-cdk-lib/assertions';
import { LAMBDA_RUNTIME } from '@tap/contracts';
import { runInNewContext } from 'node:vm';
import {
  actionsOf,
  arnOf,
  functionNameOf,
  logicalIdOf,
  refTo,
  resources,
  synthesize,
  TEST_SUFFIX,
  type PolicyDocumentJson,
  type StatementJson,
} from '../testing/template';
import { userPoolJwksLogGroupNames } from './user-pool-jwks';
import { MAX_JWKS_BYTES, USER_POOL_JWKS_HANDLER_SOURCE } from './user-pool-jwks-handler';

describe('user pool JWKS at deployment', () => {
  let template: Template;
  let jwksId: string;
  let handlerId: string;
  let frameworkId: string;
  let keyId: string;

  /** The statements of a function's role: inline, attached, and its managed policies. */
  const roleOf = (functionId: string) => {
    const all = resources(template);
    const roleId = (all[functionId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const role = all[roleId]?.Properties ?? {};
    const inline = (role.Policies ?? []) as { PolicyDocument: PolicyDocumentJson }[];
    const attached = Object.values(all).filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties?.Roles).includes(`"${roleId}"`),
    );
    return {
      managedPolicies: role.ManagedPolicyArns,
      attached,
      statements: inline.flatMap((policy) => policy.PolicyDocument.Statement),
    };
  };
  const logGroupOf = (name: string): string =>
    logicalIdOf(template, 'AWS::Logs::LogGroup', { LogGroupName: name });
  const names = userPoolJwksLogGroupNames(TEST_SUFFIX);

  beforeAll(() => {
    ({ template } = synthesize());
    jwksId = logicalIdOf(template, 'Custom::UserPoolJwks');
    keyId = logicalIdOf(template, 'AWS::KMS::Key');
    handlerId = logicalIdOf(template, 'AWS::Lambda::Function', {
      Code: { ZipFile: USER_POOL_JWKS_HANDLER_SOURCE },
    });
    frameworkId = logicalIdOf(template, 'AWS::Lambda::Function', {
      Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: arnOf(handlerId) } },
    });
  });

  it('is a custom resource of the user pool id, served by the provider framework', () => {
    template.resourceCountIs('Custom::UserPoolJwks', 1);
    template.hasResourceProperties('Custom::UserPoolJwks', {
      ServiceToken: arnOf(frameworkId),
      UserPoolId: refTo(logicalIdOf(template, 'AWS::Cognito::UserPool')),
      Region: 'us-west-2',
    });
  });

  it('gives the authorizer its attribute Jwks as TOKEN_JWKS', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: functionNameOf('authorizer'),
      Environment: {
        Variables: Match.objectLike({ TOKEN_JWKS: { 'Fn::GetAtt': [jwksId, 'Jwks'] } }),
      },
    });
  });

  it('reads it with inline code (no bundle), on the stack runtime and arm64, as does the framework', () => {
    for (const id of [handlerId, frameworkId]) {
      expect(resources(template)[id]?.Properties).toMatchObject({
        Runtime: LAMBDA_RUNTIME,
        Architectures: ['arm64'],
        MemorySize: 128,
      });
    }
    expect(resources(template)[handlerId]?.Properties).toMatchObject({
      Handler: 'index.handler',
      Timeout: 15,
    });
  });

  it('names neither function, so they stay apart from the modelled functions', () => {
    for (const id of [handlerId, frameworkId]) {
      expect(resources(template)[id]?.Properties?.FunctionName).toBeUndefined();
    }
  });

  it('logs both functions to their own log groups, encrypted with the key and kept one week', () => {
    for (const [id, name] of [
      [handlerId, names.handler],
      [frameworkId, names.provider],
    ] as const) {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: name, RetentionInDays: 7, KmsKeyId: arnOf(keyId) },
        DeletionPolicy: 'Delete',
      });
      expect(resources(template)[id]?.Properties?.LoggingConfig).toMatchObject({
        LogGroup: refTo(logGroupOf(name)),
      });
    }
  });

  it('lets the handler write its logs and nothing else', () => {
    const role = roleOf(handlerId);
    expect(role.managedPolicies).toBeUndefined();
    expect(role.attached).toEqual([]);
    expect(role.statements).toEqual<StatementJson[]>([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(logGroupOf(names.handler)),
      },
    ]);
  });

  it('lets the framework write its logs and invoke the handler, nothing else', () => {
    const role = roleOf(frameworkId);
    expect(role.managedPolicies).toBeUndefined();
    expect(role.attached).toEqual([]);
    expect(role.statements.map((statement) => [statement.Sid, actionsOf(statement)])).toEqual([
      ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
      ['InvokeHandler', ['lambda:GetFunction', 'lambda:InvokeFunction']],
    ]);
    expect(role.statements[0]?.Resource).toEqual(arnOf(logGroupOf(names.provider)));
    expect(role.statements[1]?.Resource).toEqual(arnOf(handlerId));
  });
});

describe('the JWKS handler', () => {
  const POOL = 'us-west-2_AbCdEf123';
  const URL = `https://cognito-idp.us-west-2.amazonaws.com/${POOL}/.well-known/jwks.json`;
  const JWKS = {
    keys: [
      { alg: 'RS256', e: 'AQAB', kid: 'one', kty: 'RSA', n: 'x'.repeat(342), use: 'sig' },
      { alg: 'RS256', e: 'AQAB', kid: 'two', kty: 'RSA', n: 'y'.repeat(342), use: 'sig' },
    ],
  };

  interface Answer {
    readonly PhysicalResourceId: string;
    readonly Data?: { readonly Jwks: string };
  }

  /** Loads the inline source as Lambda would, with `fetch` answering `status` and `body`. */
  function handlerWith(status: number, body: string) {
    const fetch = jest.fn(async () => ({ status, text: async () => body }));
    const sandbox = {
      exports: {} as { handler?: (event: unknown) => Promise<Answer> },
      fetch,
      AbortSignal,
      Buffer,
      JSON,
      console: { log: jest.fn() },
    };
    runInNewContext(USER_POOL_JWKS_HANDLER_SOURCE, sandbox);
    const handler = sandbox.exports.handler;
    if (!handler) throw new Error('the source exports no handler');
    return { handler, fetch };
  }
  const event = (requestType: string, physicalResourceId?: string) => ({
    RequestType: requestType,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { ServiceToken: 'arn', UserPoolId: POOL, Region: 'us-west-2' },
  });

  it.each(['Create', 'Update'])('returns the JWKS text, compacted, on %s', async (type) => {
    const { handler, fetch } = handlerWith(200, JSON.stringify(JWKS, null, 2));
    await expect(handler(event(type))).resolves.toEqual({
      PhysicalResourceId: `${POOL}-jwks`,
      Data: { Jwks: JSON.stringify(JWKS) },
    });
    expect(fetch).toHaveBeenCalledWith(URL, expect.anything());
  });

  it('keeps a document of two RSA keys well under the limit', () => {
    expect(JSON.stringify(JWKS).length).toBeLessThan(MAX_JWKS_BYTES / 2);
  });

  it('returns an empty string when the JWKS is over the size limit', async () => {
    const large = { keys: [{ kid: 'big', n: 'z'.repeat(MAX_JWKS_BYTES) }] };
    const { handler } = handlerWith(200, JSON.stringify(large));
    await expect(handler(event('Create'))).resolves.toEqual({
      PhysicalResourceId: `${POOL}-jwks`,
      Data: { Jwks: '' },
    });
  });

  it('fails the deploy when Cognito answers anything but 200', async () => {
    const { handler } = handlerWith(404, 'not found');
    await expect(handler(event('Create'))).rejects.toThrow(`GET ${URL} answered 404, not 200`);
  });

  it('fails the deploy on a document that is no JWKS', async () => {
    const { handler } = handlerWith(200, '{"keys": []}');
    await expect(handler(event('Update'))).rejects.toThrow('returned no JWKS document');
  });

  it('does nothing on delete', async () => {
    const { handler, fetch } = handlerWith(500, '');
    await expect(handler(event('Delete', `${POOL}-jwks`))).resolves.toEqual({
      PhysicalResourceId: `${POOL}-jwks`,
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
