import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { resolveEnvironmentSuffix, TAP_REGION } from '@tap/contracts';
import {
  ENVIRONMENT_SUFFIX_CONTEXT_KEY,
  ENVIRONMENT_SUFFIX_ENV_VAR,
  readCdkJsonContext,
  stackName,
} from './stack-config';
import { addComplianceChecks } from './compliance';
import { TapStack } from './tap-stack';

/** Options of {@link createApp}; everything defaults to what the CDK CLI provides. */
export interface CreateAppOptions {
  /** Environment suffix; beats context `environmentSuffix` and `ENVIRONMENT_SUFFIX`. */
  readonly environmentSuffix?: string;
  /** Allowed CORS origins; beats context `environments.<suffix>.corsAllowOrigins` and `corsAllowOrigins`. */
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
 * Builds the TAP app: one `TapStack-<suffix>` in us-west-2, in the account of
 * `CDK_DEFAULT_ACCOUNT` when set (environment-agnostic otherwise, so synth needs no
 * credentials). The cdk-nag packs run on every synth and fail it on any unacknowledged
 * finding.
 *
 * @throws Error naming the broken rule when the environment suffix or a context setting is
 *   invalid.
 */
export function createApp(options: CreateAppOptions = {}): TapApp {
  const env = options.env ?? process.env;
  // The context of `cdk.json` (feature flags included): the CLI passes it to the app
  // already; reading it here too gives tests the same flags, hence the same template.
  const fromCdkJson = readCdkJsonContext(path.join(__dirname, '..', 'cdk.json'));
  const app = new App({ context: { ...fromCdkJson, ...options.context } });
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
  addComplianceChecks(app);
  return { app, stack };
}
