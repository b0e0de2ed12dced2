import { Duration, RemovalPolicy, Validations, type CfnResource } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type CfnStage,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  AUTHORIZER_CACHE_TTL_SECONDS,
  CORS_POLICY,
  type HandlerName,
  type Route,
  type ThrottleSettings,
} from '@tap/contracts';

/** Props of {@link TapHttpApi}. */
export interface TapHttpApiProps {
  /** Physical API name. */
  readonly apiName: string;
  /** Name of the authorizer within the API. */
  readonly authorizerName: string;
  /** Origins allowed by CORS. */
  readonly corsAllowOrigins: readonly string[];
  /** The routes to serve: the contract's route table. */
  readonly routes: readonly Route[];
  /**
   * The function serving each handler named by the routes (`x-tap-handler`): its alias,
   * so that API Gateway invokes (and may invoke) the version the alias names.
   */
  readonly handlers: Readonly<Record<HandlerName, IFunction>>;
  /**
   * The function establishing the principal of a request: a user's access token
   * (`authorization`) or a machine key (`x-api-key`). Its alias too.
   */
  readonly authorizerFunction: IFunction;
  /** Name of the access log group. */
  readonly accessLogGroupName: string;
  /** Key encrypting the access log group. */
  readonly encryptionKey: IKey;
  /** How long the access log group keeps its events. */
  readonly logRetention: RetentionDays;
  /**
   * Throttling: the stage's default for every route, and limits of their own for some
   * routes, by route key (each must be one of `routes`).
   */
  readonly throttle: ThrottleSettings;
}

/**
 * Fields of each access log line (JSON, one object per request): who called which route,
 * the outcome and where the time went, and why the authorizer or the integration failed.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  protocol: '$context.protocol',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  errorMessage: '$context.error.message',
};

/**
 * Identity sources of the authorizer: none. HTTP API answers 401 without invoking the
 * authorizer when any listed source is missing, and a request carries one credential
 * (`authorization` or `x-api-key`), never both; a source is needed only as a cache key,
 * and nothing is cached (`AUTHORIZER_CACHE_TTL_SECONDS` is 0).
 */
export const AUTHORIZER_IDENTITY_SOURCES: readonly string[] = [];

/**
 * The HTTP API, with one route per entry of the route table: nothing here restates the
 * contract, so a new operation in `openapi.yaml` becomes a route on the next synth.
 * Requests go straight to `$default` (auto-deployed, throttled by default and per route,
 * access-logged as JSON to an encrypted log group); preflight requests are
 * answered by API Gateway from the CORS policy.
 */
export class TapHttpApi extends Construct {
  /** The API. */
  public readonly httpApi: HttpApi;
  /** Its `$default` stage. */
  public readonly stage: HttpStage;
  /** The access log group of the stage. */
  public readonly accessLogGroup: LogGroup;
  /** Routes by `operationId`. */
  public readonly routes: ReadonlyMap<string, HttpRoute>;

  public constructor(scope: Construct, id: string, props: TapHttpApiProps) {
    super(scope, id);
    const routeKeys = props.routes.map((route) => route.routeKey);
    const unknownRoutes = Object.keys(props.throttle.routes).filter(
      (key) => !routeKeys.includes(key),
    );
    if (unknownRoutes.length > 0) {
      throw new Error(
        `Throttles name route key(s) the API does not have: ${unknownRoutes.join(', ')} ` +
          `(its routes: ${routeKeys.join(', ')})`,
      );
    }

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description: 'TAP items API',
      corsPreflight: {
        allowOrigins: [...props.corsAllowOrigins],
        allowHeaders: [...CORS_POLICY.allowHeaders],
        allowMethods: CORS_POLICY.allowMethods.map((method) => CorsHttpMethod[method]),
        exposeHeaders: [...CORS_POLICY.exposeHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
      // The stage is added below: the default one takes neither access logs nor throttling.
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogGroup', {
      logGroupName: props.accessLogGroupName,
      retention: props.logRetention,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttle.stage.rateLimit,
        burstLimit: props.throttle.stage.burstLimit,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // Simple responses (`{ isAuthorized, context }`), the context carrying the principal.
    // Not cached: a user's token is checked in memory and a machine key's record is cached
    // by the function for seconds, so a revoked key is refused within seconds, not at the
    // end of a gateway cache entry. Without a cache the authorizer needs no identity source
    // (HTTP APIs accept none then; aws-cdk-lib passes the empty list through as it is).
    const authorizer = new HttpLambdaAuthorizer('Authorizer', props.authorizerFunction, {
      authorizerName: props.authorizerName,
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [...AUTHORIZER_IDENTITY_SOURCES],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });

    // Public routes say so explicitly: a default authorizer added to the API later must
    // not close them.
    const noAuthorizer = new HttpNoneAuthorizer();

    const integrations: Record<HandlerName, HttpLambdaIntegration> = {
      health: new HttpLambdaIntegration('HealthIntegration', props.handlers.health, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
      api: new HttpLambdaIntegration('ApiIntegration', props.handlers.api, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    };

    const routes = new Map<string, HttpRoute>();
    for (const route of props.routes) {
      const httpRoute = new HttpRoute(this, route.operationId, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, toHttpMethod(route)),
        integration: integrations[route.handler],
        authorizer: route.requiresAuthorization ? authorizer : noAuthorizer,
      });
      if (!route.requiresAuthorization) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${route.routeKey} has no authorizer on purpose: its operation in openapi.yaml ` +
            'declares no security requirement (health probes call it without a credential).',
        });
      }
      routes.set(route.operationId, httpRoute);
    }
    this.routes = routes;

    // Route settings name routes by key; API Gateway refuses a key it does not know yet,
    // so the stage waits for the routes.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(props.throttle.routes).map(([routeKey, limits]) => [
        routeKey,
        { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
      ]),
    );
    for (const route of props.routes) {
      const httpRoute = routes.get(route.operationId);
      if (httpRoute !== undefined && props.throttle.routes[route.routeKey] !== undefined) {
        cfnStage.addResourceDependency(httpRoute.node.defaultChild as CfnResource);
      }
    }
  }
}

function toHttpMethod(route: Route): HttpMethod {
  const method = (HttpMethod as Partial<Record<string, HttpMethod>>)[route.method];
  if (method === undefined) {
    throw new Error(`${route.routeKey}: HTTP APIs cannot route the ${route.method} method`);
  }
  return method;
}
