import { Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  AUTHORIZER_CACHE_TTL_SECONDS,
  CORS_POLICY,
  PUBLIC_ROUTE_KEYS,
  routeTable,
  type Route,
} from '@tap/contracts';
import { arnOf, logicalIdOf, refTo, resources, synthesize, TEST_SUFFIX } from '../testing/template';
import { TapHttpApi } from './http-api';
import { LAMBDA_RUNTIME } from '@tap/contracts';
import { lambdaRuntime } from './tap-function';

describe('HTTP API', () => {
  let template: Template;
  let apiId: string;
  let authorizerId: string;
  const functionIdOf = (fn: string): string =>
    logicalIdOf(template, 'AWS::Lambda::Function', {
      FunctionName: `tap-${fn}-function-${TEST_SUFFIX}`,
    });

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

  it('takes the throttling of the environment from context', () => {
    const { template: tuned } = synthesize({
      context: { environments: { [TEST_SUFFIX]: { throttle: { rateLimit: 10, burstLimit: 20 } } } },
    });
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
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
    'routes %s to its function, behind the authorizer exactly when it requires authorization',
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
        IntegrationUri: arnOf(functionIdOf(route.handler)),
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it('lets API Gateway invoke each route function only from that route path', () => {
    for (const route of routeTable) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: arnOf(functionIdOf(route.handler)),
        SourceArn: {
          'Fn::Join': ['', Match.arrayWith([refTo(apiId), `/*/*${route.path}`])],
        },
      });
    }
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

  it('authorizes with simple responses of the authorizer function, uncached and with no identity source', () => {
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
        'Fn::Join': ['', Match.arrayWith([arnOf(functionIdOf('authorizer'))])],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: arnOf(functionIdOf('authorizer')),
      SourceArn: {
        'Fn::Join': ['', Match.arrayWith([refTo(apiId), '/authorizers/', refTo(authorizerId)])],
      },
    });
  });
});

describe('TapHttpApi', () => {
  const build = (routes: readonly Route[]): Template => {
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
      throttle: { rateLimit: 7, burstLimit: 9 },
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
    build([route('GET', '/things', true)]).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
    });
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
