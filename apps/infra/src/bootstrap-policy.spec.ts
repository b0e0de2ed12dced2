/**
 * The generator of the bootstrap's execution policy and of the roles' permissions boundary
 * (`scripts/bootstrap-policy.ts`), over the templates of a protected and a disposable
 * stack: what any deployment may do in an account, and what a role it creates can ever do.
 */
import {
  BOUNDARY_DENIED_ACTIONS,
  BOUNDED_ROLE_ACTIONS,
  executionPolicy,
  functionNamesOf,
  permissionsBoundaryPolicy,
  resourceTypesOf,
  roleActionsOf,
  servicePrefixOf,
  type CfnTemplate,
  type PolicyDocument,
  type PolicyStatement,
} from '../scripts/bootstrap-policy';
import { PERMISSIONS_BOUNDARY_NAME, permissionsBoundaryArn } from './permissions-boundary';
import {
  actionsOf,
  protectedApp,
  resources,
  synthesize,
  type StatementJson,
} from './testing/template';

const ACCOUNT = '444444444444';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${PERMISSIONS_BOUNDARY_NAME}`;

/** `iam:*`-style pattern against an action, case-insensitively as IAM compares. */
const matches = (pattern: string, action: string): boolean =>
  new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'i').test(action);
function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a policy allows `action` at all (some Allow names it, no Deny does). */
function allows(policy: PolicyDocument, action: string): boolean {
  const named = (statement: PolicyStatement): boolean =>
    statement.Action.some((pattern) => matches(pattern, action));
  return (
    policy.Statement.some((s) => s.Effect === 'Allow' && named(s)) &&
    !policy.Statement.some((s) => s.Effect === 'Deny' && named(s) && s.Resource === '*')
  );
}

/** Whether a rendered `PermissionsBoundary` is the boundary's ARN in the stack's account. */
function namesTheBoundary(value: unknown): boolean {
  if (typeof value === 'string') {
    return new RegExp(`^arn:aws:iam::\\d{12}:policy/${PERMISSIONS_BOUNDARY_NAME}$`).test(value);
  }
  return (
    JSON.stringify(value) ===
    JSON.stringify({
      'Fn::Join': [
        '',
        ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, `:policy/${PERMISSIONS_BOUNDARY_NAME}`],
      ],
    })
  );
}

const SYNTHS = {
  protected: () => synthesize(protectedApp('prod')),
  disposable: () => synthesize({ environmentSuffix: 'pr42' }),
} as const;

describe.each(Object.keys(SYNTHS) as (keyof typeof SYNTHS)[])('a %s stack', (kind) => {
  let template: CfnTemplate;
  let roles: [string, Record<string, unknown>][];

  beforeAll(() => {
    const synthesized = SYNTHS[kind]();
    template = synthesized.template.toJSON() as CfnTemplate;
    roles = Object.entries(resources(synthesized.template))
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
      .map(([id, resource]) => [id, resource.Properties ?? {}]);
  });

  it('gives every role it creates the permissions boundary, custom resource providers included', () => {
    expect(roles.length).toBeGreaterThan(0);
    const unbounded = roles
      .filter(([, properties]) => !namesTheBoundary(properties.PermissionsBoundary))
      .map(([id]) => id);
    expect(unbounded).toEqual([]);
    if (kind === 'disposable') {
      // CDK writes this one as a raw CfnResource: the boundary reaches it all the same.
      expect(roles.map(([id]) => id)).toContainEqual(
        expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderRole/),
      );
    }
  });

  it("has a boundary that allows every action of the stack's roles, and no IAM", () => {
    const boundary = permissionsBoundaryPolicy([template]);
    // Independently of the generator: every Allow statement of the roles' inline policies.
    const inline = roles.flatMap(([, properties]) =>
      ((properties.Policies as { PolicyDocument: { Statement: StatementJson[] } }[]) ?? [])
        .flatMap((policy) => policy.PolicyDocument.Statement)
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap(actionsOf),
    );
    expect(inline.length).toBeGreaterThan(0);
    for (const action of [...inline, ...roleActionsOf([template])]) {
      expect({ action, allowed: allows(boundary, action) }).toEqual({ action, allowed: true });
    }
    // The managed policies the stack attaches are spelled out, not trusted by name.
    if (kind === 'protected') {
      expect(allows(boundary, 'lambda:UpdateAlias')).toBe(true); // CodeDeploy's role
      expect(allows(boundary, 'cloudwatch:DescribeAlarms')).toBe(true);
    } else {
      expect(allows(boundary, 'logs:CreateLogGroup')).toBe(true); // auto-delete provider
      expect(allows(boundary, 's3:PutBucketPolicy')).toBe(true); // its bucket policy grant
    }
    for (const action of [
      'iam:CreateRole',
      'iam:PassRole',
      'iam:AttachRolePolicy',
      'organizations:LeaveOrganization',
      'sts:AssumeRole',
    ]) {
      expect({ action, allowed: allows(boundary, action) }).toEqual({ action, allowed: false });
    }
    const allowed = boundary.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    expect(allowed.filter((action) => action.includes('*'))).toEqual([]);
    expect(boundary.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: BOUNDARY_DENIED_ACTIONS, Resource: '*' }),
    );
  });

  it('has an execution policy that creates or changes a role only with the boundary', () => {
    const policy = executionPolicy(resourceTypesOf([template]), {
      account: ACCOUNT,
      functionNames: functionNamesOf([template]),
    });
    const bounded = policy.Statement.find((s) => s.Action.includes('iam:CreateRole'));
    expect(bounded).toEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Resource: `arn:aws:iam::${ACCOUNT}:role/TapStack-*`,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } },
      }),
    );
    for (const action of BOUNDED_ROLE_ACTIONS) {
      const granting = policy.Statement.filter(
        (s) => s.Effect === 'Allow' && s.Action.some((pattern) => matches(pattern, action)),
      );
      // Every statement that allows it asks for the boundary: dropping the condition, or
      // allowing the action in another statement, fails here.
      expect({ action, granting: granting.map((s) => s.Condition) }).toEqual({
        action,
        granting: [{ StringEquals: { 'iam:PermissionsBoundary': BOUNDARY_ARN } }],
      });
    }
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary'],
        Resource: '*',
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: expect.arrayContaining([
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:SetDefaultPolicyVersion',
        ]),
        Resource: BOUNDARY_ARN,
      }),
    );
    // No IAM action but on the stacks' roles, the denies aside.
    const iamResources = policy.Statement.filter(
      (s) => s.Effect === 'Allow' && s.Action.some((a) => a.startsWith('iam:')),
    ).map((s) => s.Resource);
    expect(new Set(iamResources)).toEqual(new Set([`arn:aws:iam::${ACCOUNT}:role/TapStack-*`]));
    expect(policy.Statement.flatMap((s) => s.Action)).not.toContain('iam:CreateServiceLinkedRole');
  });

  it("holds Lambda to the stack's functions, which are all named tap-* or by CloudFormation", () => {
    const policy = executionPolicy(resourceTypesOf([template]), {
      account: ACCOUNT,
      functionNames: functionNamesOf([template]),
    });
    const lambda = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith('lambda:')));
    expect(lambda).toEqual([
      {
        Sid: 'FunctionsOfTheStacksOnly',
        Effect: 'Allow',
        Action: ['lambda:*'],
        Resource: [
          `arn:aws:lambda:us-west-2:${ACCOUNT}:function:tap-*`,
          `arn:aws:lambda:us-west-2:${ACCOUNT}:function:TapStack-*`,
        ],
      },
    ]);
    expect(functionNamesOf([template]).length).toBeGreaterThan(0);
  });
});

describe('the policies of every environment', () => {
  it('come from a protected synth: a disposable stack creates no service the protected one lacks, CodeDeploy only the protected one has', () => {
    const typesOf = (options: Parameters<typeof synthesize>[0]): string[] =>
      resourceTypesOf([synthesize(options).template.toJSON() as CfnTemplate]);
    const protectedTypes = typesOf(protectedApp('prod'));
    const disposableTypes = typesOf({ environmentSuffix: 'pr42' });
    const services = (types: string[]): Set<string | undefined> =>
      new Set(types.map(servicePrefixOf));
    const protectedServices = services(protectedTypes);
    expect([...services(disposableTypes)].filter((s) => !protectedServices.has(s))).toEqual([]);
    expect(protectedTypes).toContain('AWS::CodeDeploy::DeploymentGroup');
    expect(disposableTypes.some((type) => type.startsWith('AWS::CodeDeploy::'))).toBe(false);
  });
});

describe('the boundary of an account', () => {
  it('needs a disposable synth besides the protected one: only disposable stacks have the auto-delete provider', () => {
    const protectedTemplate = synthesize(protectedApp('prod')).template.toJSON() as CfnTemplate;
    const disposableTemplate = synthesize({
      environmentSuffix: 'pr42',
    }).template.toJSON() as CfnTemplate;
    const both = permissionsBoundaryPolicy([protectedTemplate, disposableTemplate]);
    for (const action of roleActionsOf([protectedTemplate, disposableTemplate])) {
      expect({ action, allowed: allows(both, action) }).toEqual({ action, allowed: true });
    }
    expect(allows(permissionsBoundaryPolicy([protectedTemplate]), 's3:PutBucketPolicy')).toBe(
      false,
    );
  });
});

describe('the generator', () => {
  const role = (properties: Record<string, unknown>): CfnTemplate => ({
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: {} }],
          },
          ...properties,
        },
      },
    },
  });

  it('takes no action from a trust policy', () => {
    expect(roleActionsOf([role({})])).toEqual([]);
  });

  it('refuses a managed policy it does not know, AdministratorAccess first', () => {
    expect(() =>
      permissionsBoundaryPolicy([
        role({ ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] }),
      ]),
    ).toThrow(/AdministratorAccess.*AWS_MANAGED_POLICY_ACTIONS/);
  });

  it('refuses a role policy that uses what the boundary denies', () => {
    const policies = [
      {
        PolicyName: 'p',
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['iam:PassRole'] }] },
      },
    ];
    expect(() => permissionsBoundaryPolicy([role({ Policies: policies })])).toThrow(
      /boundary denies: iam:PassRole/,
    );
  });

  it('refuses a function named outside the prefixes Lambda is held to', () => {
    expect(() =>
      executionPolicy(['AWS::Lambda::Function'], { functionNames: ['admin-backdoor'] }),
    ).toThrow(/admin-backdoor/);
  });

  it('gives Lambda on * back when the stack creates a Lambda resource that is no function', () => {
    const policy = executionPolicy(['AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping']);
    expect(policy.Statement[0]).toEqual(
      expect.objectContaining({ Action: ['lambda:*'], Resource: '*' }),
    );
  });

  it('names the boundary with a pattern when the policy is for any account', () => {
    const policy = executionPolicy(['AWS::IAM::Role']);
    expect(policy.Statement[0]?.Condition).toEqual({
      StringLike: { 'iam:PermissionsBoundary': permissionsBoundaryArn('*') },
    });
  });
});
