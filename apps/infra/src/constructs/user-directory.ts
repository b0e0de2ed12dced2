import { Duration, RemovalPolicy, Stack, Tokenization, Validations } from 'aws-cdk-lib';
import type {
  UserPoolClient,
  UserPoolDomain,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  contractFacts,
  RESOURCE_SERVER,
  USER_ACCESS_TOKEN_MINUTES,
  userPoolIssuerUrl,
} from '@tap/contracts';

/** Props of {@link UserDirectory}. */
export interface UserDirectoryProps {
  /** Name of the user pool. */
  readonly userPoolName: string;
  /** Name of the SPA app client. */
  readonly clientName: string;
  /**
   * Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the
   * region; checked by {@link assertValidDomainPrefix}.
   */
  readonly domainPrefix: string;
  /** Where the client may redirect after sign-in (OAuth `redirect_uri`). */
  readonly callbackUrls: readonly string[];
  /** Where it may redirect after sign-out (`logout_uri`). */
  readonly logoutUrls: readonly string[];
  /**
   * A protected environment keeps its users: the pool is retained when the stack goes and
   * deletion-protected, so not even a direct `DeleteUserPool` drops it.
   */
  readonly isProtected: boolean;
}

/** Password rules: NIST-style length, and every character class, which COG1 asks for. */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  /** How long an administrator's invitation (its temporary password) can be used. */
  tempPasswordValidityDays: 3,
} as const;

/** Lifetime of the tokens the SPA client gets. */
export const TOKEN_VALIDITY = {
  /**
   * The credential the API sees, verified offline, so it works until it expires even after
   * a sign-out or a change of groups: 15 minutes bound that; the SPA renews it with its
   * refresh token, which revocation does end at once.
   */
  accessTokenMinutes: USER_ACCESS_TOKEN_MINUTES,
  idTokenMinutes: 60,
  /** The SPA renews its access token with it (revocable: token revocation is on). */
  refreshTokenDays: 30,
} as const;

/** Words Cognito refuses in a domain prefix. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** Longest Cognito domain prefix. */
const MAX_DOMAIN_PREFIX_LENGTH = 63;

/**
 * Checks a Cognito domain prefix against the rules Cognito applies at deployment, so a
 * suffix that would break them fails the synth instead: lower-case letters, digits and
 * hyphens, not starting or ending with a hyphen, at most 63 characters, and none of the
 * reserved words `aws`, `amazon`, `cognito`. The CDK checks only the characters, and only
 * of a literal prefix. Tokens (the account of an environment-agnostic stack, 12 digits)
 * are checked as 12 digits.
 *
 * @throws Error naming the rule the prefix breaks.
 */
export function assertValidDomainPrefix(prefix: string): void {
  const literal = Tokenization.reverseString(prefix)
    .mapTokens({ mapToken: () => '0'.repeat(12) })
    .join({ join: (left: unknown, right: unknown) => `${String(left)}${String(right)}` });
  const text = String(literal);
  const fail = (rule: string): never => {
    throw new Error(`Invalid Cognito domain prefix ${JSON.stringify(text)}: ${rule}`);
  };
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(text)) {
    fail('only lower-case letters, digits and inner hyphens are allowed');
  }
  if (text.length > MAX_DOMAIN_PREFIX_LENGTH) {
    fail(`it must be at most ${MAX_DOMAIN_PREFIX_LENGTH} characters`);
  }
  const reserved = RESERVED_DOMAIN_WORDS.filter((word) => text.includes(word));
  if (reserved.length > 0) {
    fail(
      `Cognito refuses prefixes containing ${reserved.join(', ')}; choose an environment ` +
        'suffix without it',
    );
  }
}

/**
 * TAP's users: a Cognito user pool, the resource server whose scopes the API checks, the
 * app client of a browser SPA and the pool's Cognito domain (managed login, the OAuth 2.0
 * authorize and token endpoints).
 *
 * - **Users** are created by an administrator (no self sign-up) and sign in with their email
 *   address; an invitation's temporary password is valid for three days. Passwords have at
 *   least 12 characters of every class. MFA is optional, by authenticator app (TOTP); SMS
 *   is off (no SMS role, no toll fraud). A forgotten password is recovered by email only.
 *   Which tenant a user belongs to is the `tenant:<id>` group an administrator puts them in.
 * - **The SPA client** is public (no secret: a browser cannot keep one) and uses only the
 *   authorization code grant, with PKCE as Cognito's managed login requires of public
 *   clients; it asks for `openid` and the resource server's scopes, so its access tokens
 *   carry `tap/items:read tap/items:write`. Access tokens live one hour; refresh tokens can
 *   be revoked; a wrong email or password gets the same answer as an unknown user.
 *
 * The pool is on the Essentials feature plan (managed login); threat protection would need
 * Plus (see the acknowledgements below).
 */
export class UserDirectory extends Construct {
  /** The user pool. */
  public readonly userPool: UserPool;
  /** The resource server whose scopes the routes require. */
  public readonly resourceServer: UserPoolResourceServer;
  /** The SPA's app client. */
  public readonly client: UserPoolClient;
  /** The Cognito domain of managed login and the OAuth endpoints. */
  public readonly domain: UserPoolDomain;
  /** The issuer of the pool's tokens, their `iss`. */
  public readonly issuerUrl: string;

  public constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    assertValidDomainPrefix(props.domainPrefix);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      // A changed address takes effect once verified: until then the user still signs in,
      // and recovers a password, with the old one.
      keepOriginal: { email: true },
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(PASSWORD_POLICY.tempPasswordValidityDays),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.isProtected,
      removalPolicy: props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional on purpose: the end users of a public SPA choose whether to add an ' +
          'authenticator app (TOTP is offered to every user); requiring it would lock out ' +
          'invited users without one. Passwords are long and of every character class.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection (compromised credentials, adaptive authentication) needs the Plus ' +
          'feature plan, billed per monthly active user; TAP runs on Essentials, which covers ' +
          'managed login, and its API throttles and logs every request.',
      },
    );

    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'TAP items API',
      scopes: contractFacts.scopes.map(
        (scope) =>
          new ResourceServerScope({
            scopeName: scope.name,
            scopeDescription: scope.description,
          }),
      ),
    });

    this.client = this.userPool.addClient('SpaClient', {
      userPoolClientName: props.clientName,
      generateSecret: false,
      // The SDK flows a browser could use besides managed login: SRP only (the password
      // never leaves the browser), and refreshing tokens. No plain password flow.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [
          OAuthScope.OPENID,
          ...contractFacts.scopes.map((scope) =>
            OAuthScope.resourceServer(
              this.resourceServer,
              new ResourceServerScope({
                scopeName: scope.name,
                scopeDescription: scope.description,
              }),
            ),
          ),
        ],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(TOKEN_VALIDITY.accessTokenMinutes),
      idTokenValidity: Duration.minutes(TOKEN_VALIDITY.idTokenMinutes),
      refreshTokenValidity: Duration.days(TOKEN_VALIDITY.refreshTokenDays),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages only once the client has a style: Cognito's own.
    const branding = new CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(this.domain);

    this.issuerUrl = userPoolIssuerUrl(Stack.of(this).region, this.userPool.userPoolId);
  }
}
