import { DEFAULT_FILE_QUOTAS, DEFAULT_THROTTLES } from '@tap/contracts';
import {
  assertDeploymentAccount,
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_AUTH_CALLBACK_URLS,
  DEFAULT_AUTH_LOGOUT_URLS,
  DEFAULT_DISPOSABLE_LOG_RETENTION_DAYS,
  DEFAULT_PROTECTED_ENVIRONMENTS,
  DEFAULT_PROTECTED_LOG_RETENTION_DAYS,
  DEFAULT_THROTTLE,
  DEPLOYMENT_STRATEGIES,
  LOG_RETENTION_DAYS,
  PRODUCTION_LIKE_WORDS,
  productionLikeWord,
  readDisposableEnvironments,
  readEnvironmentConfig,
  readProtectedEnvironments,
} from './environment-config';

/** A context reader over a plain object, as `node.tryGetContext` reads `cdk.json`. */
const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

/** What a protected environment must name: its CORS origins and its sign-in redirects. */
const PROTECTED_SETTINGS = {
  corsAllowOrigins: ['https://app.example.com'],
  authCallbackUrls: ['https://app.example.com/callback'],
  authLogoutUrls: ['https://app.example.com/'],
};

describe('environment configuration', () => {
  it("gives a developer stack the defaults: any origin, the contract's throttles and file caps, 5% 5xx, no emails, sign-in redirects to localhost, no reserved concurrency, 30 days of versions, a week of logs, no gradual deployment, no account", () => {
    expect(readEnvironmentConfig('alice', contextOf({}))).toEqual({
      environmentSuffix: 'alice',
      isProtected: false,
      account: undefined,
      protectedAccounts: {},
      corsAllowOrigins: ['*'],
      throttle: DEFAULT_THROTTLES,
      alarms: {
        serverErrorRatePercent: 5,
        functionErrors: 1,
        functionThrottles: 1,
        tableThrottles: 1,
      },
      alarmEmails: [],
      authCallbackUrls: ['http://localhost:5173/callback'],
      authLogoutUrls: ['http://localhost:5173/'],
      apiReservedConcurrency: undefined,
      fileQuotas: DEFAULT_FILE_QUOTAS,
      noncurrentVersionExpirationDays: 30,
      abortIncompleteMultipartUploadDays: 1,
      logRetentionDays: 7,
      deployment: { strategy: 'all-at-once' },
    });
    expect(DEFAULT_AUTH_CALLBACK_URLS).toEqual(['http://localhost:5173/callback']);
    expect(DEFAULT_AUTH_LOGOUT_URLS).toEqual(['http://localhost:5173/']);
    expect(DEFAULT_THROTTLE.stage).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(DEFAULT_ALARM_THRESHOLDS.serverErrorRatePercent).toBe(5);
  });

  it('protects prod and staging unless context protectedEnvironments says otherwise', () => {
    expect(DEFAULT_PROTECTED_ENVIRONMENTS).toEqual(['prod', 'staging']);
    expect(readEnvironmentConfig('staging', contextOf(PROTECTED_SETTINGS)).isProtected).toBe(true);
    const custom = contextOf({
      ...PROTECTED_SETTINGS,
      protectedEnvironments: 'live, qa',
      disposableEnvironments: ['prod'],
    });
    expect(readEnvironmentConfig('qa', custom).isProtected).toBe(true);
    expect(readEnvironmentConfig('prod', custom).isProtected).toBe(false);
    expect(readProtectedEnvironments(['live'])).toEqual(['live']);
    expect(() => readProtectedEnvironments(7)).toThrow(
      'Invalid context protectedEnvironments 7: expected a list of strings',
    );
  });

  it('layers environments.<suffix> over top-level context over defaults, objects field by field', () => {
    const context = contextOf({
      throttle: { stage: { rateLimit: 20 } },
      alarms: { functionErrors: 3, tableThrottles: 2 },
      fileQuotas: { maxFilesPerItem: 10 },
      noncurrentVersionExpirationDays: 7,
      alarmEmails: ['team@example.com'],
      authLogoutUrls: ['https://everyone.example.com/'],
      accounts: { staging: '111111111111', prod: '999999999999', alice: '444444444444' },
      logRetentionDays: 30,
      deployment: { strategy: 'canary10-10min' },
      environments: {
        prod: {
          account: '222222222222',
          logRetentionDays: '90',
          deployment: { strategy: 'linear10-1min' },
          corsAllowOrigins: PROTECTED_SETTINGS.corsAllowOrigins,
          throttle: {
            stage: { burstLimit: 400 },
            routes: { 'DELETE /api/items/{id}': { rateLimit: 2 } },
          },
          alarms: { serverErrorRatePercent: 1, functionErrors: 5 },
          apiReservedConcurrency: 100,
          fileQuotas: { maxBytesPerItem: 1024 },
          abortIncompleteMultipartUploadDays: 2,
          alarmEmails: 'oncall@example.com,team@example.com',
          authCallbackUrls: 'https://app.example.com/callback, https://admin.example.com/cb',
        },
      },
    });
    expect(readEnvironmentConfig('prod', context)).toEqual({
      environmentSuffix: 'prod',
      isProtected: true,
      account: { account: '222222222222', key: 'context environments.prod.account' },
      protectedAccounts: {
        prod: { account: '222222222222', key: 'context environments.prod.account' },
        staging: { account: '111111111111', key: 'context accounts.staging' },
      },
      corsAllowOrigins: ['https://app.example.com'],
      throttle: {
        stage: { rateLimit: 20, burstLimit: 400 },
        routes: {
          ...DEFAULT_THROTTLES.routes,
          'DELETE /api/items/{id}': { rateLimit: 2, burstLimit: 20 },
        },
      },
      alarms: {
        serverErrorRatePercent: 1,
        functionErrors: 5,
        functionThrottles: 1,
        tableThrottles: 2,
      },
      alarmEmails: ['oncall@example.com', 'team@example.com'],
      authCallbackUrls: ['https://app.example.com/callback', 'https://admin.example.com/cb'],
      authLogoutUrls: ['https://everyone.example.com/'],
      apiReservedConcurrency: 100,
      fileQuotas: { maxFilesPerItem: 10, maxBytesPerItem: 1024 },
      noncurrentVersionExpirationDays: 7,
      abortIncompleteMultipartUploadDays: 2,
      logRetentionDays: 90,
      deployment: { strategy: 'linear10-1min' },
    });
    // Another environment gets the top level only, and the defaults for the rest.
    expect(readEnvironmentConfig('alice', context)).toMatchObject({
      throttle: { stage: { rateLimit: 20, burstLimit: 100 }, routes: DEFAULT_THROTTLES.routes },
      apiReservedConcurrency: undefined,
      fileQuotas: { maxFilesPerItem: 10, maxBytesPerItem: DEFAULT_FILE_QUOTAS.maxBytesPerItem },
      alarmEmails: ['team@example.com'],
      authCallbackUrls: DEFAULT_AUTH_CALLBACK_URLS,
      authLogoutUrls: ['https://everyone.example.com/'],
      account: { account: '444444444444', key: 'context accounts.alice' },
      logRetentionDays: 30,
      deployment: { strategy: 'canary10-10min' },
    });
  });

  it('takes objects as JSON from the command line', () => {
    const context = contextOf({
      throttle: '{"stage": {"rateLimit": 5, "burstLimit": 10}}',
      apiReservedConcurrency: '50',
    });
    expect(readEnvironmentConfig('alice', context)).toMatchObject({
      throttle: { stage: { rateLimit: 5, burstLimit: 10 } },
      apiReservedConcurrency: 50,
    });
  });

  it('takes origins from code over every context layer', () => {
    const context = contextOf({
      ...PROTECTED_SETTINGS,
      environments: { prod: { corsAllowOrigins: ['https://a.example.com'] } },
    });
    expect(
      readEnvironmentConfig('prod', context, { corsAllowOrigins: ['https://b.example.com'] })
        .corsAllowOrigins,
    ).toEqual(['https://b.example.com']);
  });

  describe('protected environments and CORS', () => {
    it.each([
      ['no origins at all', {}],
      ['"*" at the top level', { corsAllowOrigins: '*' }],
      ['"*" for the environment', { environments: { prod: { corsAllowOrigins: ['*'] } } }],
    ])('refuses a protected environment with %s', (_name, values) => {
      expect(() => readEnvironmentConfig('prod', contextOf(values))).toThrow(
        'Environment "prod" is protected: list its CORS origins explicitly (context ' +
          'environments.prod.corsAllowOrigins or corsAllowOrigins), without "*". Any origin ' +
          '("*") is for disposable developer stacks only.',
      );
    });

    it('refuses "*" from code for a protected environment too', () => {
      expect(() =>
        readEnvironmentConfig('prod', contextOf(PROTECTED_SETTINGS), { corsAllowOrigins: ['*'] }),
      ).toThrow('Environment "prod" is protected');
    });
  });

  describe('protected environments and sign-in redirects', () => {
    it.each([
      ['authCallbackUrls', { authCallbackUrls: undefined }],
      ['authLogoutUrls', { authLogoutUrls: undefined }],
    ])('refuses a protected environment that does not list its %s', (key, missing) => {
      expect(() =>
        readEnvironmentConfig('prod', contextOf({ ...PROTECTED_SETTINGS, ...missing })),
      ).toThrow(
        `Environment "prod" is protected: list the ${key} of its sign-in client explicitly ` +
          `(context environments.prod.${key} or ${key}), as https URLs. The localhost default ` +
          'is for disposable developer stacks only.',
      );
    });

    it('refuses plain-http localhost redirects in a protected environment', () => {
      const values = {
        ...PROTECTED_SETTINGS,
        environments: { prod: { authCallbackUrls: ['http://localhost:5173/callback'] } },
      };
      expect(() => readEnvironmentConfig('prod', contextOf(values))).toThrow(
        'Environment "prod" is protected: its authCallbackUrls must all be https URLs, not ' +
          '"http://localhost:5173/callback" (http://localhost is for disposable developer stacks only).',
      );
    });

    it('lets a developer stack name its own redirects, localhost or https', () => {
      const values = {
        authCallbackUrls: ['http://localhost:3001/cb', 'https://alice.example.com/cb'],
      };
      expect(readEnvironmentConfig('alice', contextOf(values)).authCallbackUrls).toEqual([
        'http://localhost:3001/cb',
        'https://alice.example.com/cb',
      ]);
    });
  });

  describe('validation, naming the key at fault', () => {
    it.each([
      [
        { corsAllowOrigins: ['https://app.example.com/'] },
        'Invalid context corsAllowOrigins entry "https://app.example.com/": expected "*" or an origin',
      ],
      [{ corsAllowOrigins: [] }, 'Invalid context corsAllowOrigins: list at least one origin'],
      [
        { corsAllowOrigins: 'https://a.example.com,' },
        'Invalid context corsAllowOrigins entry "": expected "*" or an origin',
      ],
      [{ corsAllowOrigins: 42 }, 'Invalid context corsAllowOrigins 42: expected a list of strings'],
      [
        { throttle: { stage: { rateLimit: 0 } } },
        'Invalid context throttle.stage.rateLimit 0: expected a number from 1 to 10000',
      ],
      [
        { throttle: { stage: { burstLimit: 1.5 } } },
        'Invalid context throttle.stage.burstLimit 1.5: expected an integer from 1 to 5000',
      ],
      [
        { throttle: { stage: { rateLimt: 10 } } },
        'Unknown key(s) "rateLimt" in context throttle.stage: expected rateLimit, burstLimit',
      ],
      [
        // The shape before per-route throttles: refused, not silently ignored.
        { throttle: { rateLimit: 10 } },
        'Unknown key(s) "rateLimit" in context throttle: expected stage, routes',
      ],
      [
        { throttle: { routes: { 'GET /api/widgets': { rateLimit: 1 } } } },
        'Unknown route key(s) "GET /api/widgets" in context throttle.routes: expected routes of the contract, GET /health, GET /api/items,',
      ],
      [
        { throttle: { routes: { 'POST /api/items': { burstLimit: 0 } } } },
        'Invalid context throttle.routes.POST /api/items.burstLimit 0: expected an integer from 1 to 5000',
      ],
      [
        { apiReservedConcurrency: 0 },
        'Invalid context apiReservedConcurrency 0: expected an integer from 1 to 100000',
      ],
      [
        { fileQuotas: { maxFilesPerItem: DEFAULT_FILE_QUOTAS.maxFilesPerItem + 1 } },
        `Invalid context fileQuotas: maxFilesPerItem must be a positive integer of at most ${DEFAULT_FILE_QUOTAS.maxFilesPerItem} (the contract's)`,
      ],
      [
        { fileQuotas: { maxFiles: 3 } },
        'Unknown key(s) "maxFiles" in context fileQuotas: expected maxFilesPerItem, maxBytesPerItem',
      ],
      [
        { fileQuotas: { maxBytesPerItem: 1.5 } },
        'Invalid context fileQuotas.maxBytesPerItem 1.5: expected an integer',
      ],
      [
        { noncurrentVersionExpirationDays: 0 },
        'Invalid context noncurrentVersionExpirationDays 0: expected an integer from 1 to 3650',
      ],
      [
        { abortIncompleteMultipartUploadDays: 'soon' },
        'Invalid context abortIncompleteMultipartUploadDays "soon": expected an integer from 1 to 365',
      ],
      [{ throttle: 'fast' }, 'Invalid context throttle "fast": expected a JSON object'],
      [{ throttle: [1] }, 'Invalid context throttle [1]: expected an object'],
      [
        { alarms: { serverErrorRatePercent: 101 } },
        'Invalid context alarms.serverErrorRatePercent 101: expected a number from 0.01 to 100',
      ],
      [
        { alarms: { errors: 1 } },
        'Unknown key(s) "errors" in context alarms: expected serverErrorRatePercent, functionErrors, functionThrottles, tableThrottles',
      ],
      [
        { alarmEmails: ['oncall'] },
        'Invalid context alarmEmails entry "oncall": expected an email address',
      ],
      [
        { authCallbackUrls: ['http://app.example.com/callback'] },
        'Invalid context authCallbackUrls entry "http://app.example.com/callback": expected https (plain http only for http://localhost)',
      ],
      [
        { authCallbackUrls: ['https://app.example.com/callback#done'] },
        'Invalid context authCallbackUrls entry "https://app.example.com/callback#done": a redirect URL must not have a fragment',
      ],
      [
        { authLogoutUrls: ['/signed-out'] },
        'Invalid context authLogoutUrls entry "/signed-out": expected an absolute URL',
      ],
      [
        { authLogoutUrls: ['myapp://signed-out'] },
        'Invalid context authLogoutUrls entry "myapp://signed-out": expected https',
      ],
      [{ authLogoutUrls: [] }, 'Invalid context authLogoutUrls: list at least one URL'],
      [
        { environments: { alice: { rotationDays: 7 } } },
        'Unknown key(s) "rotationDays" in context environments.alice: expected corsAllowOrigins, throttle, alarms, alarmEmails, authCallbackUrls, authLogoutUrls, apiReservedConcurrency, fileQuotas, noncurrentVersionExpirationDays, abortIncompleteMultipartUploadDays',
      ],
      [
        { environments: { alice: { throttle: { stage: { burstLimit: 0 } } } } },
        'Invalid context environments.alice.throttle.stage.burstLimit 0',
      ],
    ])('refuses %j', (values, message) => {
      expect(() => readEnvironmentConfig('alice', contextOf(values))).toThrow(message);
    });

    it('refuses more redirect URLs than Cognito accepts (100)', () => {
      const urls = Array.from({ length: 101 }, (_, index) => `https://a.example.com/${index}`);
      expect(() => readEnvironmentConfig('alice', contextOf({ authCallbackUrls: urls }))).toThrow(
        'Invalid context authCallbackUrls: Cognito accepts at most 100 URLs',
      );
    });
  });
});

describe('protected environments take https CORS origins only', () => {
  it('refuses an http:// CORS origin in a protected environment', () => {
    const values = {
      ...PROTECTED_SETTINGS,
      environments: {
        prod: { corsAllowOrigins: ['https://app.example.com', 'http://app.example.com'] },
      },
    };
    expect(() => readEnvironmentConfig('prod', contextOf(values))).toThrow(
      'Environment "prod" is protected: its CORS origins (context ' +
        'environments.prod.corsAllowOrigins or corsAllowOrigins) must all be https origins, ' +
        'not "http://app.example.com". Plain http origins are for disposable developer stacks only.',
    );
  });

  it('refuses a plain http origin given by code to a protected environment too', () => {
    expect(() =>
      readEnvironmentConfig('staging', contextOf(PROTECTED_SETTINGS), {
        corsAllowOrigins: ['http://localhost:5173'],
      }),
    ).toThrow('must all be https origins, not "http://localhost:5173"');
  });

  it('lets a developer stack allow a plain http origin such as its SPA dev server', () => {
    const values = { corsAllowOrigins: ['http://localhost:5173'] };
    expect(readEnvironmentConfig('alice', contextOf(values)).corsAllowOrigins).toEqual([
      'http://localhost:5173',
    ]);
  });
});

describe('suffixes that look like production', () => {
  it.each([
    ['production', 'production'],
    ['prod2', 'prod2'],
    ['eu-prod', 'prod'],
    ['prd', 'prd'],
    ['live', 'live'],
    ['main', 'main'],
    ['master', 'master'],
    ['release-1', 'release'],
    ['alice-production3', 'production3'],
  ])('refuses %s unless it is listed as protected or disposable', (suffix, word) => {
    expect(() => readEnvironmentConfig(suffix, contextOf({}))).toThrow(
      `Environment "${suffix}" looks like production (the word "${word}") but is not ` +
        'protected: list it in context protectedEnvironments to protect it, or in context ' +
        'disposableEnvironments if it really is a disposable stack.',
    );
    expect(productionLikeWord(suffix)).toBe(word);
  });

  it.each(['alice', 'pr42', 'dev', 'product-demo', 'preprod', 'mainframe-test', 'staging2'])(
    'takes %s for a developer stack',
    (suffix) => {
      expect(productionLikeWord(suffix)).toBeUndefined();
      expect(readEnvironmentConfig(suffix, contextOf({})).isProtected).toBe(false);
    },
  );

  it('matches the words whatever their case', () => {
    expect(productionLikeWord('EU-Prod')).toBe('prod');
    expect(PRODUCTION_LIKE_WORDS).toEqual(
      expect.arrayContaining(['prod', 'production', 'prd', 'live', 'main', 'master', 'release']),
    );
  });

  it('takes such a suffix when it is protected, or deliberately disposable', () => {
    const protectedLive = contextOf({ ...PROTECTED_SETTINGS, protectedEnvironments: ['live'] });
    expect(readEnvironmentConfig('live', protectedLive).isProtected).toBe(true);
    const disposable = contextOf({ disposableEnvironments: 'release-notes, main' });
    expect(readEnvironmentConfig('release-notes', disposable).isProtected).toBe(false);
    expect(readEnvironmentConfig('main', disposable).isProtected).toBe(false);
    expect(readDisposableEnvironments(undefined)).toEqual([]);
  });

  it('refuses an environment listed as both protected and disposable', () => {
    const context = contextOf({ ...PROTECTED_SETTINGS, disposableEnvironments: ['prod'] });
    expect(() => readEnvironmentConfig('alice', context)).toThrow(
      'Environment(s) "prod" listed in both context protectedEnvironments and context ' +
        'disposableEnvironments: an environment is one or the other.',
    );
  });
});

describe('log retention', () => {
  it('keeps logs a week in a developer stack and a year in a protected environment', () => {
    expect(readEnvironmentConfig('alice', contextOf({})).logRetentionDays).toBe(
      DEFAULT_DISPOSABLE_LOG_RETENTION_DAYS,
    );
    expect(DEFAULT_DISPOSABLE_LOG_RETENTION_DAYS).toBe(7);
    expect(readEnvironmentConfig('prod', contextOf(PROTECTED_SETTINGS)).logRetentionDays).toBe(
      DEFAULT_PROTECTED_LOG_RETENTION_DAYS,
    );
    expect(DEFAULT_PROTECTED_LOG_RETENTION_DAYS).toBe(365);
  });

  it('takes any retention CloudWatch Logs accepts, per environment', () => {
    const context = contextOf({
      ...PROTECTED_SETTINGS,
      logRetentionDays: 14,
      environments: { prod: { logRetentionDays: 3653 } },
    });
    expect(readEnvironmentConfig('prod', context).logRetentionDays).toBe(3653);
    expect(readEnvironmentConfig('alice', context).logRetentionDays).toBe(14);
    for (const days of LOG_RETENTION_DAYS) {
      expect(readEnvironmentConfig('alice', contextOf({ logRetentionDays: days }))).toMatchObject({
        logRetentionDays: days,
      });
    }
  });

  it.each([[8], [0], [-1], ['week'], [9999]])('refuses %j days', (days) => {
    expect(() => readEnvironmentConfig('alice', contextOf({ logRetentionDays: days }))).toThrow(
      `Invalid context logRetentionDays ${JSON.stringify(days)}: expected one of the retention ` +
        'periods CloudWatch Logs accepts, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,',
    );
  });
});

describe('deployment strategy', () => {
  it('shifts a protected environment 10% for 5 minutes and a developer stack all at once', () => {
    expect(readEnvironmentConfig('prod', contextOf(PROTECTED_SETTINGS)).deployment).toEqual({
      strategy: 'canary10-5min',
    });
    expect(readEnvironmentConfig('alice', contextOf({})).deployment).toEqual({
      strategy: 'all-at-once',
    });
  });

  it('takes the strategy from context, the environment over the top level, JSON from the command line', () => {
    const context = contextOf({
      ...PROTECTED_SETTINGS,
      deployment: '{"strategy": "linear10-1min"}',
      environments: { alice: { deployment: { strategy: 'canary10-30min' } } },
    });
    expect(readEnvironmentConfig('prod', context).deployment.strategy).toBe('linear10-1min');
    expect(readEnvironmentConfig('alice', context).deployment.strategy).toBe('canary10-30min');
    expect(DEPLOYMENT_STRATEGIES).toContain('all-at-once');
  });

  it.each([
    [
      { strategy: 'blue-green' },
      'Invalid context deployment.strategy "blue-green": expected one of canary10-5min,',
    ],
    [
      { strategi: 'canary10-5min' },
      'Unknown key(s) "strategi" in context deployment: expected strategy',
    ],
  ])('refuses %j', (deployment, message) => {
    expect(() => readEnvironmentConfig('alice', contextOf({ deployment }))).toThrow(message);
  });
});

describe('accounts', () => {
  const ACCOUNTS = { staging: '111111111111', prod: '222222222222' };
  const configOf = (suffix: string, values: Record<string, unknown> = {}) =>
    readEnvironmentConfig(
      suffix,
      contextOf({ ...PROTECTED_SETTINGS, accounts: ACCOUNTS, ...values }),
    );

  it('lists the accounts of context accounts, overridden by environments.<suffix>.account', () => {
    const config = configOf('prod', { environments: { prod: { account: '333333333333' } } });
    expect(config.account).toEqual({
      account: '333333333333',
      key: 'context environments.prod.account',
    });
    expect(config.protectedAccounts).toEqual({
      staging: { account: '111111111111', key: 'context accounts.staging' },
      prod: { account: '333333333333', key: 'context environments.prod.account' },
    });
  });

  it.each([
    [
      { accounts: { prod: '12345' } },
      'Invalid context accounts.prod "12345": expected an AWS account id, twelve digits as a string',
    ],
    [
      { accounts: { prod: 222222222222 } },
      'Invalid context accounts.prod 222222222222: expected an AWS account id',
    ],
    [
      { accounts: ['222222222222'] },
      'Invalid context accounts ["222222222222"]: expected an object',
    ],
    [
      { environments: { alice: { account: '2222-2222-2222' } } },
      'Invalid context environments.alice.account "2222-2222-2222": expected an AWS account id',
    ],
  ])('refuses %j', (values, message) => {
    expect(() => readEnvironmentConfig('alice', contextOf(values))).toThrow(message);
  });

  describe('and the account a stack is synthesized for', () => {
    it('synthesizes a protected environment for its listed account', () => {
      expect(() => assertDeploymentAccount(configOf('prod'), '222222222222')).not.toThrow();
      expect(() => assertDeploymentAccount(configOf('staging'), '111111111111')).not.toThrow();
    });

    it('refuses a protected environment whose account is not listed, naming the key', () => {
      const config = readEnvironmentConfig('prod', contextOf(PROTECTED_SETTINGS));
      expect(() => assertDeploymentAccount(config, '222222222222')).toThrow(
        'Environment "prod" is protected: list its AWS account in context accounts.prod (or ' +
          'environments.prod.account), so that it can only be synthesized for that account.',
      );
    });

    it('refuses a protected environment for another account, naming the key that lists its own', () => {
      expect(() => assertDeploymentAccount(configOf('prod'), '111111111111')).toThrow(
        'Environment "prod" lives in account 222222222222 (context accounts.prod), not in ' +
          "111111111111, the app's account (CDK_DEFAULT_ACCOUNT or the stack's env.account)",
      );
      const overridden = configOf('prod', { environments: { prod: { account: '333333333333' } } });
      expect(() => assertDeploymentAccount(overridden, '222222222222')).toThrow(
        'lives in account 333333333333 (context environments.prod.account), not in 222222222222',
      );
    });

    it('refuses a protected environment whose account is unresolved', () => {
      expect(() => assertDeploymentAccount(configOf('prod'), undefined)).toThrow(
        'Environment "prod" is protected and lives in account 222222222222 (context ' +
          "accounts.prod), but the app's account is unresolved: set CDK_DEFAULT_ACCOUNT",
      );
    });

    it("refuses a disposable stack in a protected environment's account", () => {
      expect(() => assertDeploymentAccount(configOf('pr42'), '222222222222')).toThrow(
        'Environment "pr42" is disposable, but its account 222222222222 is the protected ' +
          'environment "prod"\'s (context accounts.prod): a disposable stack never goes to a ' +
          "protected environment's account.",
      );
      expect(() => assertDeploymentAccount(configOf('alice'), '111111111111')).toThrow(
        'the protected environment "staging"\'s (context accounts.staging)',
      );
    });

    it('lets a disposable stack use any other account, or stay account-agnostic', () => {
      expect(() => assertDeploymentAccount(configOf('pr42'), '444444444444')).not.toThrow();
      expect(() => assertDeploymentAccount(configOf('pr42'), undefined)).not.toThrow();
    });

    it('holds a listed disposable environment to its own account too', () => {
      const config = configOf('alice', { environments: { alice: { account: '444444444444' } } });
      expect(() => assertDeploymentAccount(config, '444444444444')).not.toThrow();
      expect(() => assertDeploymentAccount(config, '555555555555')).toThrow(
        'Environment "alice" lives in account 444444444444 (context environments.alice.account), not in 555555555555',
      );
    });
  });
});
