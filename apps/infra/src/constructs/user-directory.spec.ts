import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { contractFacts, RESOURCE_SERVER, SCOPES } from '@tap/contracts';
import {
  logicalIdOf,
  protectedApp,
  refTo,
  resources,
  synthesize,
  TEST_SUFFIX,
} from '../testing/template';
import { assertValidDomainPrefix, UserDirectory } from './user-directory';

describe('user directory', () => {
  let template: Template;
  let userPoolId: string;
  let resourceServerId: string;

  beforeAll(() => {
    ({ template } = synthesize());
    userPoolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
    resourceServerId = logicalIdOf(template, 'AWS::Cognito::UserPoolResourceServer');
  });

  describe('user pool', () => {
    it('is named per environment and lets only administrators create users, who sign in by email', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolName: `tap-users-${TEST_SUFFIX}`,
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AutoVerifiedAttributes: ['email'],
      });
    });

    it('asks for passwords of at least 12 characters of every class, and invitations valid 3 days', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          },
        },
      });
    });

    it('offers MFA by authenticator app (TOTP) only, optional, and recovers accounts by email only', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        // No SMS: no SMS role to send codes with.
        SmsConfiguration: Match.absent(),
      });
      const roles = Object.values(template.findResources('AWS::IAM::Role'));
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) {
        expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).not.toContain('cognito');
      }
    });

    it('is on the Essentials feature plan (managed login)', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    });

    it('is deleted with a developer stack and has no deletion protection', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
    });

    it('is retained and deletion-protected in a protected environment', () => {
      const { template: protectedTemplate } = synthesize(protectedApp());
      protectedTemplate.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('resource server', () => {
    it("declares the contract's scopes, with their descriptions, under the contract's identifier", () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
        UserPoolId: refTo(userPoolId),
        Identifier: RESOURCE_SERVER,
        Scopes: contractFacts.scopes.map((scope) => ({
          ScopeName: scope.name,
          ScopeDescription: scope.description,
        })),
      });
      const scopes = resources(template)[resourceServerId]?.Properties?.Scopes as {
        ScopeName: string;
      }[];
      expect(scopes.map((scope) => scope.ScopeName)).toEqual([...SCOPES]);
      expect(RESOURCE_SERVER).toBe('tap');
    });
  });

  describe('SPA client', () => {
    let client: Record<string, unknown>;

    beforeAll(() => {
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      client = resources(template)[logicalIdOf(template, 'AWS::Cognito::UserPoolClient')]
        ?.Properties as Record<string, unknown>;
    });

    it('is a public client: no secret', () => {
      expect(client).toMatchObject({
        ClientName: `tap-web-client-${TEST_SUFFIX}`,
        UserPoolId: refTo(userPoolId),
        GenerateSecret: false,
      });
    });

    it('uses only the authorization code grant, with the user pool as its only identity provider', () => {
      expect(client).toMatchObject({
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        SupportedIdentityProviders: ['COGNITO'],
      });
      // No plain password flow through the API: SRP, and refreshing tokens.
      expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    });

    it("asks for openid and the resource server's scopes, nothing else", () => {
      expect(client.AllowedOAuthScopes).toEqual([
        'openid',
        ...SCOPES.map((scope) => ({ 'Fn::Join': ['', [refTo(resourceServerId), `/${scope}`]] })),
      ]);
    });

    it('hides whether a user exists, can revoke its tokens, and issues access tokens for one hour', () => {
      expect(client).toMatchObject({
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        AccessTokenValidity: 15,
        IdTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      });
    });

    it('redirects to localhost by default in a developer stack', () => {
      expect(client).toMatchObject({
        CallbackURLs: ['http://localhost:5173/callback'],
        LogoutURLs: ['http://localhost:5173/'],
      });
    });

    it('redirects where the context of the environment says', () => {
      const { template: configured } = synthesize(
        protectedApp('prod', {
          environments: { prod: { authCallbackUrls: ['https://prod.example.com/callback'] } },
        }),
      );
      configured.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: ['https://prod.example.com/callback'],
        LogoutURLs: ['https://app.example.com/'],
      });
    });
  });

  describe('domain', () => {
    it('is the Cognito domain tap-<suffix>-<account>, with managed login', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        UserPoolId: refTo(userPoolId),
        Domain: { 'Fn::Join': ['', [`tap-${TEST_SUFFIX}-`, refTo('AWS::AccountId')]] },
        ManagedLoginVersion: 2,
      });
    });

    it("gives the SPA client managed login's Cognito style, so its sign-in pages show", () => {
      template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
        UserPoolId: refTo(userPoolId),
        ClientId: refTo(logicalIdOf(template, 'AWS::Cognito::UserPoolClient')),
        UseCognitoProvidedValues: true,
      });
    });

    it('fails the synth of a suffix that would put a word Cognito reserves in the prefix', () => {
      expect(() => synthesize({ environmentSuffix: 'laws' })).toThrow(
        'Invalid Cognito domain prefix "tap-laws-000000000000": Cognito refuses prefixes ' +
          'containing aws; choose an environment suffix without it',
      );
    });
  });
});

describe('assertValidDomainPrefix', () => {
  it.each(['tap-dev-123456789012', 'a', 'tap-x1'])('accepts %j', (prefix) => {
    expect(() => assertValidDomainPrefix(prefix)).not.toThrow();
  });

  it.each([
    ['Tap-dev', 'only lower-case letters, digits and inner hyphens are allowed'],
    ['-tap', 'only lower-case letters, digits and inner hyphens are allowed'],
    ['tap-', 'only lower-case letters, digits and inner hyphens are allowed'],
    ['tap_dev', 'only lower-case letters, digits and inner hyphens are allowed'],
    ['a'.repeat(64), 'it must be at most 63 characters'],
    ['tap-amazonian', 'Cognito refuses prefixes containing amazon'],
    ['my-cognito-pool', 'Cognito refuses prefixes containing cognito'],
  ])('refuses %j: %s', (prefix, rule) => {
    expect(() => assertValidDomainPrefix(prefix)).toThrow(rule);
  });

  it('checks a prefix holding the account token as if the account were 12 digits', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => assertValidDomainPrefix(`tap-dev-${stack.account}`)).not.toThrow();
    expect(() => assertValidDomainPrefix(`tap-aws-${stack.account}`)).toThrow(
      'Invalid Cognito domain prefix "tap-aws-000000000000"',
    );
  });

  it('is checked by the construct itself', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(
      () =>
        new UserDirectory(stack, 'Users', {
          userPoolName: 'pool',
          clientName: 'client',
          domainPrefix: 'cognito-users',
          callbackUrls: ['https://app.example.com/callback'],
          logoutUrls: ['https://app.example.com/'],
          isProtected: false,
        }),
    ).toThrow('Cognito refuses prefixes containing cognito');
  });
});
