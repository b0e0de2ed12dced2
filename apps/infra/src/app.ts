import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { resolveEnvironmentSuffix, TAP_REGION } from '@tap/contracts';
import {
  ENVIRONMENT_SUFFIX_CONTEXT_KEY,
  ENVIRONMENT_SUFFIX_ENV_VAR,
  stackName,
} from './stack-config';
import { TapStack } from './tap-stack';

/** Options of {@link createApp}; everything defaults to what the CDK CLI provides. */
export interface CreateAppOptions {
  /** Environment suffix; beats context `environmentSuffix` and `ENVIRONMENT_SUFFIX`. */
  readonly environmentSuffix?: string;
  /** Allowed CORS origins; beats context `corsAllowOrigins`. */
  readonly corsAllowOrigins?: readonly string[];
  /** Presigned upload limit in bytes. */
  readonly maxUploadBytes?: number;
  /** Extra CDK context, as `-c key=value` would give it. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Process environment to read `ENVIRONMENT_SUFFIX` and `CDK_DEFAULT_ACCOUNT` from. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The app and its only stack. */
export interface TapApp {
  readonly app: App;
  readonly stack: TapStack;
}

/**
 * The context of `cdk.json` (feature flags included). The CLI passes it to the app
 * already; reading it here too gives tests the same flags, hence the same template.
 */
function cdkJsonContext(): Record<string, unknown> {
  const file = path.join(__dirname, '..', 'cdk.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return config.context ?? {};
}

/**
 * Builds the TAP app: one `TapStack-<suffix>` in us-west-2, in the account of
 * `CDK_DEFAULT_ACCOUNT` when set (environment-agnostic otherwise, so synth needs no
 * credentials).
 *
 * @throws Error naming the broken rule when the environment suffix is invalid.
 */
export function createApp(options: CreateAppOptions = {}): TapApp {
  const env = options.env ?? process.env;
  const app = new App({ context: { ...cdkJsonContext(), ...options.context } });
  const environmentSuffix = resolveEnvironmentSuffix({
    props: options.environmentSuffix,
    context: app.node.tryGetContext(ENVIRONMENT_SUFFIX_CONTEXT_KEY),
    env: env[ENVIRONMENT_SUFFIX_ENV_VAR],
  });
  const account = env.CDK_DEFAULT_ACCOUNT || undefined;
  const stack = new TapStack(app, stackName(environmentSuffix), {
    environmentSuffix,
    corsAllowOrigins: options.corsAllowOrigins,
    maxUploadBytes: options.maxUploadBytes,
    env: { account, region: TAP_REGION },
    description: `TAP, environment ${environmentSuffix}: HTTP API, Lambda, DynamoDB, S3, KMS`,
  });
  return { app, stack };
}
