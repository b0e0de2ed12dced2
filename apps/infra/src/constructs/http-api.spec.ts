import { Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AUTHORIZER_CACHE_TTL_SECONDS,
  CORS_POLICY,
  DEFAULT_THROTTLES,
  PUBLIC_ROUTE_KEYS,
  routeTable,
  type Route,
  type ThrottleSettings,
} from '@tap/contracts';
import {
  arnOf,
  liveAliasIdOf,
  logicalIdOf,
  refTo,
  resources,
  synthesize,
  TEST_SUFFIX,
} from '../testing/template';
import { TapHttpApi } from './http-api';
import { LAMBDA_RUNTIME } from '@tap/contracts';
import { lambdaRuntime } from './tap-function';

describe('HTTP API', () => {
  let template: Template;
  let apiId: string;
  let authorizerId: string;
  /** The live alias of a function: what the API invokes, never the function itself. */
  const aliasIdOf = (fn: string): string =>
    liveAliasIdOf(template, `tap-${fn}-function-${TEST_SUFFIX}`);

  beforeAll(() => {
    ({ template } = synthesize());
    apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api');
    authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer');
  });

  it('is named per environment and serves the auto-deployed $default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: `tap-http-api-${TEST_SUFFIX}`,
      ProtocolType: 'HTTP',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: refTo(apiId),
      StageName: '$default',
      AutoDeploy: true,
    });
  });

  it('throttles every route of the stage, 50 requests per second with bursts of 100 by default', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it("throttles the costliest routes tighter, by route key, with the contract's limits", () => {
    const settings = new Capture();
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      RouteSettings: settings,
    });
    expect(settings.asObject()).toEqual(
      Object.fromEntries(
        Object.entries(DEFAULT_THROTTLES.routes).map(([key, limits]) => [
          key,
          { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
        ]),
      ),
    );
    expect(settings.asObject()['POST /api/items']).toEqual({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
    });
  });

  it('creates the stage after the routes its settings name (API Gateway refuses unknown keys)', () => {
    const stageId = logicalIdOf(template, 'AWS::ApiGatewayV2::Stage');
    const dependsOn = (template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> })
      .Resources[stageId]?.DependsOn;
    for (const routeKey of Object.keys(DEFAULT_THROTTLES.routes)) {
      expect(dependsOn).toContain(
        logicalIdOf(template, 'AWS::ApiGatewayV2::Route', { RouteKey: routeKey }),
      );
    }
  });

  it('takes the throttling of the environment from context, the stage and each route field by field', () => {
    const { template: tuned } = synthesize({
      context: {
        throttle: { routes: { 'GET /api/items': { rateLimit: 30 } } },
        environments: {
          [TEST_SUFFIX]: {
            throttle: {
              stage: { rateLimit: 10, burstLimit: 20 },
              routes: { 'POST /api/items': { burstLimit: 5 } },
            },
          },
        },
      },
    });
    const settings = new Capture();
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      RouteSettings: settings,
    });
    expect(settings.asObject()).toMatchObject({
      'POST /api/items': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 5 },
      // Not throttled by default: the rest comes from the stage.
      'GET /api/items': { ThrottlingRateLimit: 30, ThrottlingBurstLimit: 20 },
      'GET /health': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  it('refuses throttles of a route the contract does not have, naming it', () => {
    expect(() =>
      synthesize({ context: { throttle: { routes: { 'POST /api/itemz': { rateLimit: 1 } } } } }),
    ).toThrow('Unknown route key(s) "POST /api/itemz" in context throttle.routes');
  });

  it('logs every request as one JSON object to its encrypted access log group, kept one week', () => {
    const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', {
      LogGroupName: `/aws/apigateway/tap-http-api-${TEST_SUFFIX}`,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/apigateway/tap-http-api-${TEST_SUFFIX}`,
      RetentionInDays: 7,
      KmsKeyId: arnOf(logicalIdOf(template, 'AWS::KMS::Key')),
    });
    const format = new Capture();
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: arnOf(logGroupId), Format: format },
    });
    const fields = JSON.parse(format.asString()) as Record<string, string>;
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      sourceIp: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      authorizerError: '$context.authorizer.error',
      protocol: '$context.protocol',
      httpMethod: '$context.httpMethod',
      path: '$context.path',
    });
    // One flat object of context variables: what Logs Insights parses without a pattern.
    for (const value of Object.values(fields)) expect(value).toMatch(/^\$context\.[\w.]+$/);
  });

  it('answers CORS preflights from the contract policy, any origin by default', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowHeaders: [...CORS_POLICY.allowHeaders],
        AllowMethods: [...CORS_POLICY.allowMethods],
        ExposeHeaders: [...CORS_POLICY.exposeHeaders],
        MaxAge: 3600,
      },
    });
  });

  it('has exactly one route per route table entry', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route.Properties as { RouteKey: string }).RouteKey,
    );
    expect(routeKeys.sort()).toEqual(routeTable.map((route) => route.routeKey).sort());
  });

  it.each(routeTable.map((route) => [route.routeKey, route] as const))(
    'routes %s to the live alias of its function, behind the authorizer exactly when it requires authorization',
    (routeKey, route) => {
      const routeId = logicalIdOf(template, 'AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
      const properties = resources(template)[routeId]?.Properties ?? {};
      expect(properties.ApiId).toEqual(refTo(apiId));
      if (route.requiresAuthorization) {
        expect(properties.AuthorizationType).toBe('CUSTOM');
        expect(properties.AuthorizerId).toEqual(refTo(authorizerId));
      } else {
        expect(properties.AuthorizationType).toBe('NONE');
        expect(properties.AuthorizerId).toBeUndefined();
      }

      const target = properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      expect(target['Fn::Join'][1][0]).toBe('integrations/');
      const integrationId = target['Fn::Join'][1][1].Ref;
      expect(resources(template)[integrationId]?.Properties).toEqual({
        ApiId: refTo(apiId),
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: refTo(aliasIdOf(route.handler)),
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it("lets API Gateway invoke each route function's live alias only from that route path, and never the unqualified function", () => {
    for (const route of routeTable) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: refTo(aliasIdOf(route.handler)),
        SourceArn: {
          'Fn::Join': ['', Match.arrayWith([refTo(apiId), `/*/*${route.path}`])],
        },
      });
    }
    // Invoking a function unqualified would bypass its alias, so API Gateway may not.
    const functionIds = Object.keys(template.findResources('AWS::Lambda::Function'));
    const unqualified = Object.values(template.findResources('AWS::Lambda::Permission'))
      .map((permission) => permission.Properties as { FunctionName: unknown; Principal: string })
      .filter(
        (permission) =>
          permission.Principal === 'apigateway.amazonaws.com' &&
          functionIds.some((id) => JSON.stringify(permission.FunctionName).includes(`"${id}"`)),
      );
    expect(unqualified).toEqual([]);
  });

  it('leaves no route but GET /health without authorization, in the synthesized routes themselves', () => {
    const unauthorized = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .map((route) => route.Properties as Record<string, unknown>)
      .filter(
        (route) =>
          route.AuthorizationType !== 'CUSTOM' ||
          !isDeepEqual(route.AuthorizerId, refTo(authorizerId)),
      )
      .map((route) => route.RouteKey);
    expect(unauthorized).toEqual(['GET /health']);
    expect(PUBLIC_ROUTE_KEYS).toEqual(['GET /health']);
    // One authorizer for every guarded route: a route takes only one, and it accepts both a
    // user's token and a machine key.
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
  });

  it("authorizes with simple responses of the authorizer function's live alias, uncached and with no identity source", () => {
    expect(AUTHORIZER_CACHE_TTL_SECONDS).toBe(0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: refTo(apiId),
      Name: `tap-authorizer-${TEST_SUFFIX}`,
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      // A listed source missing from a request would be refused unseen, and a request
      // carries either `authorization` or `x-api-key`; without a cache none is needed.
      IdentitySource: [],
      AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL_SECONDS,
      AuthorizerUri: {
        'Fn::Join': ['', Match.arrayWith([refTo(aliasIdOf('authorizer'))])],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: refTo(aliasIdOf('authorizer')),
      SourceArn: {
        'Fn::Join': ['', Match.arrayWith([refTo(apiId), '/authorizers/', refTo(authorizerId)])],
      },
    });
  });
});

describe('TapHttpApi', () => {
  const build = (
    routes: readonly Route[],
    throttle: ThrottleSettings = { stage: { rateLimit: 7, burstLimit: 9 }, routes: {} },
  ): Template => {
    const stack = new Stack();
    const key = new Key(stack, 'Key');
    const fn = (id: string): LambdaFunction =>
      new LambdaFunction(stack, id, {
        runtime: lambdaRuntime(LAMBDA_RUNTIME),
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => ({})'),
      });
    new TapHttpApi(stack, 'Api', {
      apiName: 'api',
      authorizerName: 'authorizer',
      corsAllowOrigins: ['https://app.example.com'],
      routes,
      handlers: { health: fn('Health'), api: fn('Items') },
      authorizerFunction: fn('Authorizer'),
      accessLogGroupName: 'access-logs',
      encryptionKey: key,
      logRetention: RetentionDays.ONE_WEEK,
      throttle,
    });
    return Template.fromStack(stack);
  };
  const route = (method: Route['method'], path: string, requiresAuthorization: boolean): Route => ({
    operationId: `${method.toLowerCase()}${path.replace(/\W/g, '')}`,
    method,
    path,
    routeKey: `${method} ${path}`,
    handler: 'api',
    requiresAuthorization,
    scopes: requiresAuthorization ? ['items:read'] : [],
    idempotent: false,
  });

  it('serves whatever route table it is given, with the origins it is given', () => {
    const template = build([route('PUT', '/things', true), route('HEAD', '/ping', false)]);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'PUT /things',
      AuthorizationType: 'CUSTOM',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'HEAD /ping',
      AuthorizationType: 'NONE',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'] }),
    });
  });

  it('throttles with the limits it is given', () => {
    build([route('GET', '/things', true)], {
      stage: { rateLimit: 7, burstLimit: 9 },
      routes: { 'GET /things': { rateLimit: 3, burstLimit: 4 } },
    }).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
      RouteSettings: { 'GET /things': { ThrottlingRateLimit: 3, ThrottlingBurstLimit: 4 } },
    });
  });

  it('refuses throttles of a route it does not serve', () => {
    expect(() =>
      build([route('GET', '/things', true)], {
        stage: { rateLimit: 7, burstLimit: 9 },
        routes: { 'GET /other': { rateLimit: 3, burstLimit: 4 } },
      }),
    ).toThrow(
      'Throttles name route key(s) the API does not have: GET /other (its routes: GET /things)',
    );
  });

  it('refuses a route whose method HTTP APIs cannot route', () => {
    expect(() => build([route('TRACE', '/trace', false)])).toThrow(
      'TRACE /trace: HTTP APIs cannot route the TRACE method',
    );
  });
});

/** Deep equality of two template values (JSON: no cycles, key order irrelevant here). */
function isDeepEqual(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
