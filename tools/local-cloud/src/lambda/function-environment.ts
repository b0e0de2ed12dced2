import {
  DEFAULT_MAX_UPLOAD_BYTES,
  FUNCTION_ENV,
  FUNCTIONS,
  METRICS_NAMESPACE,
  SECRETS_EXTENSION,
  TAP_REGION,
  functionLogGroupName,
  serviceName,
  type FunctionName,
  type ResourceNames,
} from '@tap/contracts';
import { EMULATOR_CREDENTIALS } from '@tap/test-support';

/** Where the emulators listen; handlers reach them only through these. */
export interface EmulatorEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly secretsManager: string;
}

/**
 * Credentials the functions sign with. s3rver accepts signed requests only from the access
 * key it registers (`S3RVER`); the other emulators accept any. Like Lambda's, they are
 * temporary credentials with a session token, which the emulated Parameters and Secrets
 * extension asks for as the real one does.
 */
export const LOCAL_CREDENTIALS = {
  ...EMULATOR_CREDENTIALS,
  sessionToken: 'tap-local-session-token',
} as const;

/** Health check timeout the stack configures for the health function, in ms. */
export const HEALTH_CHECK_TIMEOUT_MS = 2000;

/** The physical name the stack gives each function. */
export function physicalFunctionName(name: FunctionName, names: ResourceNames): string {
  const physical: Record<FunctionName, string> = {
    health: names.healthFunction,
    api: names.apiFunction,
    authorizer: names.authorizerFunction,
    rotation: names.rotationFunction,
  };
  return physical[name];
}

/** The variables the stack sets on each function (see `FUNCTION_ENV`). */
function stackVariables(name: FunctionName, names: ResourceNames): Record<string, string> {
  switch (name) {
    case 'health':
      return {
        [FUNCTION_ENV.tableName]: names.table,
        [FUNCTION_ENV.bucketName]: names.bucket,
        [FUNCTION_ENV.healthCheckTimeoutMs]: String(HEALTH_CHECK_TIMEOUT_MS),
      };
    case 'api':
      return {
        [FUNCTION_ENV.tableName]: names.table,
        [FUNCTION_ENV.bucketName]: names.bucket,
        [FUNCTION_ENV.cursorKeySecretId]: names.cursorKeySecret,
        [FUNCTION_ENV.maxUploadBytes]: String(DEFAULT_MAX_UPLOAD_BYTES),
      };
    case 'authorizer':
    case 'rotation':
      return { [FUNCTION_ENV.apiKeySecretId]: names.apiKeySecret };
  }
}

/**
 * A function's complete environment: the stack's variables, what Lambda itself sets, and
 * the SDK's standard per-service endpoint variables pointing at the emulators. Nothing is
 * inherited from the developer's shell, so no real AWS profile or credential can leak in.
 */
export function functionEnvironment(
  name: FunctionName,
  names: ResourceNames,
  endpoints: EmulatorEndpoints,
): Record<string, string> {
  const functionName = physicalFunctionName(name, names);
  return {
    ...stackVariables(name, names),
    // Where the stack gives a function the Parameters and Secrets extension, the Secrets
    // Manager emulator answers its endpoint (see `secrets-extension-endpoint.ts`).
    ...(FUNCTIONS[name].secretsExtension
      ? { [SECRETS_EXTENSION.portEnv]: new URL(endpoints.secretsManager).port }
      : {}),
    [FUNCTION_ENV.s3ForcePathStyle]: 'true',
    AWS_REGION: TAP_REGION,
    AWS_DEFAULT_REGION: TAP_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    POWERTOOLS_SERVICE_NAME: serviceName(name),
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    // There is no X-Ray daemon here. The functions would not trace anyway (they trace only
    // on Lambda, `AWS_EXECUTION_ENV`), but say so explicitly, as a stack may for one stage.
    POWERTOOLS_TRACE_ENABLED: 'false',
    // Lambda says how the environment was started; Powertools counts a `ColdStart` only
    // for `on-demand`.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(FUNCTIONS[name].memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: functionLogGroupName(functionName),
    // Lambda runs the bundles on Node.js 22; the SDK's warning about an older local Node.js
    // describes this machine, not the function.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
