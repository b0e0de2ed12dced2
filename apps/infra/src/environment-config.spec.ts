import { DEFAULT_ROTATION_DAYS } from '@tap/contracts';
import {
  DEFAULT_ALARM_THRESHOLDS,
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

const PROD_ORIGINS = { corsAllowOrigins: ['https://app.example.com'] };

describe('environment configuration', () => {
  it('gives a developer stack the defaults: any origin, 50/100 throttling, 5% 5xx, no emails, 30-day rotation', () => {
    expect(readEnvironmentConfig('alice', contextOf({}))).toEqual({
      environmentSuffix: 'alice',
      isProtected: false,
      corsAllowOrigins: ['*'],
      throttle: { rateLimit: 50, burstLimit: 100 },
      alarms: {
        serverErrorRatePercent: 5,
        functionErrors: 1,
        functionThrottles: 1,
        tableThrottles: 1,
      },
      alarmEmails: [],
      rotationDays: DEFAULT_ROTATION_DAYS,
    });
    expect(DEFAULT_THROTTLE).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(DEFAULT_ALARM_THRESHOLDS.serverErrorRatePercent).toBe(5);
  });

  it('protects prod and staging unless context protectedEnvironments says otherwise', () => {
    expect(DEFAULT_PROTECTED_ENVIRONMENTS).toEqual(['prod', 'staging']);
    expect(readEnvironmentConfig('staging', contextOf(PROD_ORIGINS)).isProtected).toBe(true);
    const custom = contextOf({ ...PROD_ORIGINS, protectedEnvironments: 'live, qa' });
    expect(readEnvironmentConfig('qa', custom).isProtected).toBe(true);
    expect(readEnvironmentConfig('prod', custom).isProtected).toBe(false);
    expect(readProtectedEnvironments(['live'])).toEqual(['live']);
    expect(() => readProtectedEnvironments(7)).toThrow(
      'Invalid context protectedEnvironments 7: expected a list of strings',
    );
  });

  it('layers environments.<suffix> over top-level context over defaults, objects field by field', () => {
    const context = contextOf({
      throttle: { rateLimit: 20 },
      alarms: { functionErrors: 3, tableThrottles: 2 },
      alarmEmails: ['team@example.com'],
      rotationDays: 14,
      environments: {
        prod: {
          ...PROD_ORIGINS,
          throttle: { burstLimit: 400 },
          alarms: { serverErrorRatePercent: 1, functionErrors: 5 },
          alarmEmails: 'oncall@example.com,team@example.com',
          rotationDays: '7',
        },
      },
    });
    expect(readEnvironmentConfig('prod', context)).toEqual({
      environmentSuffix: 'prod',
      isProtected: true,
      corsAllowOrigins: ['https://app.example.com'],
      throttle: { rateLimit: 20, burstLimit: 400 },
      alarms: {
        serverErrorRatePercent: 1,
        functionErrors: 5,
        functionThrottles: 1,
        tableThrottles: 2,
      },
      alarmEmails: ['oncall@example.com', 'team@example.com'],
      rotationDays: 7,
    });
    // Another environment gets the top level only.
    expect(readEnvironmentConfig('alice', context)).toMatchObject({
      throttle: { rateLimit: 20, burstLimit: 100 },
      alarmEmails: ['team@example.com'],
      rotationDays: 14,
    });
  });

  it('takes objects as JSON from the command line', () => {
    const context = contextOf({ throttle: '{"rateLimit": 5, "burstLimit": 10}' });
    expect(readEnvironmentConfig('alice', context).throttle).toEqual({
      rateLimit: 5,
      burstLimit: 10,
    });
  });

  it('takes origins from code over every context layer', () => {
    const context = contextOf({
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
        readEnvironmentConfig('prod', contextOf(PROD_ORIGINS), { corsAllowOrigins: ['*'] }),
      ).toThrow('Environment "prod" is protected');
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
        { throttle: { rateLimit: 0 } },
        'Invalid context throttle.rateLimit 0: expected a number from 1 to 10000',
      ],
      [
        { throttle: { burstLimit: 1.5 } },
        'Invalid context throttle.burstLimit 1.5: expected an integer from 1 to 5000',
      ],
      [
        { throttle: { rateLimt: 10 } },
        'Unknown key(s) "rateLimt" in context throttle: expected rateLimit, burstLimit',
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
      [{ rotationDays: 0 }, 'Invalid context rotationDays 0: expected an integer from 1 to 1000'],
      [
        { rotationDays: 'monthly' },
        'Invalid context rotationDays "monthly": expected an integer from 1 to 1000',
      ],
      [
        { environments: { alice: { rotationdays: 7 } } },
        'Unknown key(s) "rotationdays" in context environments.alice: expected corsAllowOrigins, throttle, alarms, alarmEmails, rotationDays',
      ],
      [
        { environments: { alice: { throttle: { burstLimit: 0 } } } },
        'Invalid context environments.alice.throttle.burstLimit 0',
      ],
    ])('refuses %j', (values, message) => {
      expect(() => readEnvironmentConfig('alice', contextOf(values))).toThrow(message);
    });
  });
});
