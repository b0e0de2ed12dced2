import {
  FUNCTION_ENV,
  SECRETS_EXTENSION,
  TAP_REGION,
  functionLogGroupName,
  type DeployedFunction,
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

/**
 * What Lambda itself sets in every execution environment, as the local cloud gives it. Not
 * part of the stack's template: infra's parity test leaves exactly these keys out when it
 * compares a function's environment here with the stack's.
 */
export function lambdaProvidedVariables(model: DeployedFunction): Record<string, string> {
  return {
    AWS_REGION: TAP_REGION,
    AWS_DEFAULT_REGION: TAP_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
    // Lambda says how the environment was started; Powertools counts a `ColdStart` only
    // for `on-demand`.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: model.physicalName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(model.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: functionLogGroupName(model.physicalName),
  };
}

/**
 * What only the local cloud sets, because its services are emulators on this machine:
 * the SDK's standard per-service endpoint variables, path-style S3, no tracing. Also left
 * out, by key, by the parity test; anything else must match the stack exactly.
 */
export function emulatorVariables(endpoints: EmulatorEndpoints): Record<string, string> {
  return {
    [FUNCTION_ENV.s3ForcePathStyle]: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    // There is no X-Ray daemon here. The functions would not trace anyway (they trace only
    // on Lambda, `AWS_EXECUTION_ENV`), but say so explicitly, as a stack may for one stage.
    POWERTOOLS_TRACE_ENABLED: 'false',
    // The SDK's warning about an older local Node.js describes this machine, not the
    // function, which runs on the model's `LAMBDA_RUNTIME`.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * A function's complete environment: the model's variables (as the stack deploys them),
 * what Lambda itself sets, and the emulators' endpoints. Nothing is inherited from the
 * developer's shell, so no real AWS profile or credential can leak in. Where the model
 * gives the function the Parameters and Secrets extension, the Secrets Manager emulator
 * answers its endpoint (see `secrets-extension-endpoint.ts`), so the port is the emulator's.
 */
export function functionEnvironment(
  model: DeployedFunction,
  endpoints: EmulatorEndpoints,
): Record<string, string> {
  return {
    ...model.environment,
    ...(model.secretsExtension
      ? { [SECRETS_EXTENSION.portEnv]: new URL(endpoints.secretsManager).port }
      : {}),
    ...lambdaProvidedVariables(model),
    ...emulatorVariables(endpoints),
  };
}
