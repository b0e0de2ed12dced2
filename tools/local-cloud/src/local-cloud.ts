import {
  AUTHORIZER_CACHE_TTL_SECONDS,
  CORS_POLICY,
  DEFAULT_THROTTLES,
  RESOURCE_SERVER,
  SCOPES,
  TAP_REGION,
  USER_ACCESS_TOKEN_MINUTES,
  resolveEnvironmentSuffix,
  resourceNames,
  routeTable,
  type FileQuotas,
  type FunctionName,
  type LocalCloudOutputs,
  type ResourceNames,
  type ThrottleSettings,
} from '@tap/contracts';
import {
  closeServer,
  findWorkspaceRoot,
  isAddressInUse,
  listen,
  type LocalService,
} from '@tap/test-support';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { startEmulators } from './emulators/emulator-set';
import { MissingBundleError, PortInUseError } from './errors';
import { answerClientError } from './gateway/client-errors';
import { corsConfiguration } from './gateway/cors';
import { HttpApiGateway } from './gateway/http-api';
import type { ObjectCreatedNotice } from './emulators/s3-object-writes';
import { BucketNotifications, type BucketSubscriber } from './lambda/bucket-notifications';
import { BundleWatcher } from './lambda/bundle-watcher';
import { FUNCTION_NAMES, functionSpecs } from './lambda/function-specs';
import { FunctionRuntime } from './lambda/function-runtime';
import { startOidcIssuer, type OidcIssuer } from './identity';
import { LOCAL_ACCOUNT, LOCAL_USER_POOL_CLIENT_ID, LOCAL_USER_POOL_ID } from './local-account';
import { localCloudOutputs, writeOutputs } from './outputs';
import { provisionResources } from './provisioning';
import { displayPath } from './workspace';

export type { LocalService } from '@tap/test-support';

/** Options of {@link startLocalCloud}. */
export interface LocalCloudOptions {
  /** HTTP API port; default 3000; 0 = a random free port. */
  port?: number;
  /**
   * Port of the embedded OIDC issuer (the user pool's stand-in); default 0, a random free
   * port. `npm start` fixes it (3001), so the issuer URL, and tokens, survive a restart.
   */
  issuerPort?: number;
  /** Interface the HTTP API listens on; default `127.0.0.1`. */
  host?: string;
  /** Where data persists across restarts; default `<workspace>/.local-cloud`. */
  dataDir?: string;
  /** Throwaway mode: nothing is written to `dataDir`, nothing survives `stop()` (tests). */
  inMemory?: boolean;
  /** Default: `ENVIRONMENT_SUFFIX`, else `dev` (see `resolveEnvironmentSuffix`). */
  environmentSuffix?: string;
  /** Origins allowed by CORS on the API and the bucket; default `CORS_POLICY.defaultAllowOrigins`. */
  corsAllowOrigins?: readonly string[];
  /** Swallow function and gateway logs (tests). */
  quiet?: boolean;
  /**
   * The functions' `POWERTOOLS_LOG_LEVEL` instead of the model's (`INFO`): `DEBUG` also logs
   * every request the API serves. A local override only; the stack is unchanged.
   */
  functionLogLevel?: string;
  /** Where `dist/` lives; default: the folder holding `nx.json`, found from this package. */
  workspaceRoot?: string;
  /**
   * Testing only: bundle folders (each holding `index.mjs`) replacing the built ones,
   * absolute or relative to the workspace root.
   */
  functionBundles?: Partial<Record<FunctionName, string>>;
  /** Testing only: shorter function timeouts (ms) than the stack's, so timeout tests stay fast. */
  functionTimeoutsMs?: Partial<Record<FunctionName, number>>;
  /**
   * The HTTP API's throttles; default the stack's (`DEFAULT_THROTTLES`). `false` turns
   * throttling off (`--no-throttle`; the integration suite), lower limits let a test reach
   * the 429s quickly.
   */
  throttles?: ThrottleSettings | false;
  /**
   * Caps of an item's files, at most the contract's (`--max-files-per-item`,
   * `--max-bytes-per-item`), as a stack may set them.
   *
   * @throws (from {@link startLocalCloud}) Error when a cap is above the contract's.
   */
  fileQuotas?: Partial<FileQuotas>;
}

/** A running local cloud. */
export interface LocalCloud {
  /** The HTTP API, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** The outputs: the stack's, a default machine key (`ApiKey`) and the DynamoDB endpoint. */
  readonly outputs: LocalCloudOutputs;
  /** The user pool's stand-in: issues users' tokens (tests also sign with its key). */
  readonly issuer: OidcIssuer;
  /** Physical resource names, as the stack names them in account 000000000000, us-west-2. */
  readonly names: ResourceNames;
  /** The emulators, which fault tests may stop and start again. */
  readonly services: {
    readonly dynamodb: LocalService;
    readonly s3: LocalService;
    readonly secretsManager: LocalService;
  };
  /**
   * Drops warm execution environments so the next invocations load fresh bundles, and
   * clears the gateway's cache of authorizer decisions.
   */
  reloadFunctions(): Promise<void>;
  /**
   * Resolves once no bucket event is being delivered or waiting for a retry: the functions
   * subscribed to the bucket (`bucketEvents`, e.g. `files`) have handled, or dropped, every
   * object stored before the call. Tests await it to see an upload's confirmation.
   */
  idle(): Promise<void>;
  /** Stops everything: HTTP API, functions, emulators (data flushed). Idempotent. */
  stop(): Promise<void>;
}

/** The emulators listen on loopback only, whatever interface the API uses. */
const EMULATOR_HOST = '127.0.0.1';

/** A stable, API-Gateway-looking id (10 lowercase hex characters) for the environment. */
function apiIdFor(names: ResourceNames): string {
  return createHash('sha256').update(names.httpApi).digest('hex').slice(0, 10);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the local cloud: the emulators, the resources the stack would create, the real
 * handler bundles behind an emulated HTTP API. Resolves once requests can be served.
 *
 * @throws PortInUseError when the HTTP API's port is taken (nothing is left running).
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 3000;
  const workspaceRoot = path.resolve(options.workspaceRoot ?? findWorkspaceRoot());
  const environmentSuffix = resolveEnvironmentSuffix({
    props: options.environmentSuffix,
    env: process.env['ENVIRONMENT_SUFFIX'],
  });
  const names = resourceNames(environmentSuffix, LOCAL_ACCOUNT, TAP_REGION);
  const corsAllowOrigins = options.corsAllowOrigins ?? CORS_POLICY.defaultAllowOrigins;
  const log = options.quiet ? undefined : (line: string): void => console.log(line);

  // Undone in reverse order by stop(), or when startup fails half-way.
  const teardown: (() => Promise<void>)[] = [];
  const runTeardown = async (): Promise<void> => {
    for (const step of teardown.splice(0).reverse()) await step();
  };

  try {
    // The API port first: a taken port is the usual failure, reported before anything starts.
    // A request arriving meanwhile waits until the functions can serve it.
    let resolveGateway: ((gateway: HttpApiGateway) => void) | undefined;
    const gatewayReady = new Promise<HttpApiGateway>((resolve) => {
      resolveGateway = resolve;
    });
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      void gatewayReady.then((gateway) => gateway.handle(request, response));
    });
    server.on('clientError', answerClientError);
    let port: number;
    try {
      port = await listen(server, requestedPort, host);
    } catch (error) {
      throw isAddressInUse(error) ? new PortInUseError(requestedPort) : error;
    }
    teardown.push(() => closeServer(server));

    const dataDir =
      options.inMemory === true
        ? undefined
        : path.resolve(options.dataDir ?? path.join(workspaceRoot, '.local-cloud'));
    const issuerPort = options.issuerPort ?? 0;
    const issuer = await startOidcIssuer({
      host: EMULATOR_HOST,
      port: issuerPort,
      ...(dataDir === undefined ? {} : { dataDir }),
      userPoolId: LOCAL_USER_POOL_ID,
      clientId: LOCAL_USER_POOL_CLIENT_ID,
      resourceServer: RESOURCE_SERVER,
      scopes: SCOPES,
      // As short-lived as the user pool's, so a client's renewal is exercised locally too.
      accessTokenSeconds: USER_ACCESS_TOKEN_MINUTES * 60,
    }).catch((error: unknown) => {
      throw isAddressInUse(error) ? new PortInUseError(issuerPort, '--issuer-port') : error;
    });
    teardown.push(() => issuer.stop());
    // Whom to tell of stored objects, known once the functions are: objects stored before
    // that have no one to tell (there are none: provisioning stores no object).
    const objectCreated: { listener?: (notice: ObjectCreatedNotice) => void } = {};
    const emulators = await startEmulators({
      host: EMULATOR_HOST,
      dataDir,
      bucket: names.bucket,
      corsAllowOrigins,
      onObjectCreated: (notice) => objectCreated.listener?.(notice),
    });
    teardown.push(() => emulators.dispose());
    const { services } = emulators;

    const specs = functionSpecs({
      workspaceRoot,
      names,
      endpoints: {
        dynamodb: services.dynamodb.endpoint,
        s3: services.s3.endpoint,
        secretsManager: services.secretsManager.endpoint,
      },
      // The issuer's keys go with the deployment, as the stack can give them: the first
      // token verifies without a fetch; an unknown `kid` still makes the authorizer refetch.
      tokens: {
        issuer: issuer.issuerUrl,
        clientIds: [LOCAL_USER_POOL_CLIENT_ID],
        jwks: JSON.stringify(issuer.jwks),
      },
      ...(options.functionBundles ? { bundleDirs: options.functionBundles } : {}),
      ...(options.functionLogLevel ? { logLevel: options.functionLogLevel } : {}),
      ...(options.functionTimeoutsMs ? { timeoutsMs: options.functionTimeoutsMs } : {}),
      ...(options.fileQuotas ? { fileQuotas: options.fileQuotas } : {}),
    });
    const secretStore = emulators.secretStore;
    const provisioned = await provisionResources({
      dynamodbEndpoint: services.dynamodb.endpoint,
      secrets: secretStore,
      names,
      dataDir,
    });
    for (const name of FUNCTION_NAMES) {
      const file = specs[name].bundleFile;
      if (!existsSync(file)) {
        const missing = new MissingBundleError(name, displayPath(workspaceRoot, file));
        log?.(`[local-cloud] warning: ${missing.message}`);
      }
    }
    const runtime = new FunctionRuntime(specs, { quiet: options.quiet ?? false, workspaceRoot });
    teardown.push(() => runtime.stop());

    // The bucket's notifications as the stack configures them, from the same model.
    const subscribers: BucketSubscriber[] = FUNCTION_NAMES.flatMap((name) => {
      const { bucketEvents, functionName } = specs[name];
      return bucketEvents ? [{ name, physicalName: functionName, subscription: bucketEvents }] : [];
    });
    const notifications = new BucketNotifications({
      subscribers,
      invoke: (name, event) => runtime.invoke(name, event),
      region: TAP_REGION,
      ...(log ? { log } : {}),
    });
    objectCreated.listener = (notice) => notifications.notify(notice);
    // Stopped before the functions, so no retry is attempted on a stopped runtime.
    teardown.push(() => notifications.stop());

    const baseUrl = `http://${urlHost(host)}:${port}`;
    const outputs = localCloudOutputs({
      baseUrl,
      names,
      region: TAP_REGION,
      environmentSuffix,
      apiKey: provisioned.apiKey,
      userPoolId: LOCAL_USER_POOL_ID,
      userPoolClientId: LOCAL_USER_POOL_CLIENT_ID,
      issuerUrl: issuer.issuerUrl,
      dynamoDbEndpoint: services.dynamodb.endpoint,
    });

    const gateway = new HttpApiGateway({
      routes: routeTable,
      invoke: (name, event) => runtime.invoke(name, event),
      cors: corsConfiguration(corsAllowOrigins),
      apiId: apiIdFor(names),
      accountId: LOCAL_ACCOUNT,
      region: TAP_REGION,
      authorizerCacheTtlMs: AUTHORIZER_CACHE_TTL_SECONDS * 1000,
      // As the stack: no identity source, so a token or a key alike reaches the function.
      authorizerIdentityHeaders: [],
      ...(options.throttles === false ? {} : { throttles: options.throttles ?? DEFAULT_THROTTLES }),
      ...(log ? { log } : {}),
    });
    const reload = (changed: readonly FunctionName[]): void => {
      runtime.reload(changed);
      // A new authorizer is a new deployment: its predecessor's decisions no longer apply.
      if (changed.includes('authorizer')) gateway.authorizer.clear();
    };
    const watcher = new BundleWatcher({
      bundles: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, specs[name].bundleFile])),
      workspaceRoot,
      onChange: (changed) => {
        log?.(`[local-cloud] ${changed.join(', ')}: bundle changed, next call cold-starts`);
        reload(changed);
      },
    });
    watcher.start();
    teardown.push(async () => watcher.close());

    resolveGateway?.(gateway);
    let stopping: Promise<void> | undefined;
    return {
      baseUrl,
      outputs,
      issuer,
      names,
      services,
      reloadFunctions: async () => reload(FUNCTION_NAMES),
      idle: () => notifications.idle(),
      stop: () =>
        (stopping ??= (async () => {
          // Refuse new requests first, so none reaches a function or emulator being stopped.
          await closeServer(server);
          await runTeardown();
        })()),
    };
  } catch (error) {
    await runTeardown();
    throw error;
  }
}

/** Writes the cloud's outputs (the stack's output keys plus `ApiKey`) as JSON to `file`. */
export function writeOutputsFile(cloud: LocalCloud, file: string): Promise<void> {
  return writeOutputs(cloud.outputs, file);
}
