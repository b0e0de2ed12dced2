import { DEFAULT_FILE_QUOTAS, DEFAULT_THROTTLES } from '@tap/contracts';
import {
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_AUTH_CALLBACK_URLS,
  DEFAULT_AUTH_LOGOUT_URLS,
  DEFAULT_PROTECTED_ENVIRONMENTS,
  DEFAULT_THROTTLE,
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
