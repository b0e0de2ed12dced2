/**
 * The SDK settings experiments of the cold start benchmark. Lambda gives a function its
 * region (`AWS_REGION`) and its role's credentials (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) in the environment, and the local cloud its
 * emulators' endpoints (`AWS_ENDPOINT_URL_<SERVICE>`). Left alone, the SDK finds each through
 * a provider chain on the first call; an experiment sets some of them on the client instead,
 * read from the same variables, and the benchmark measures what that changes.
 *
 * `TAP_BENCH_SDK_SETTINGS` names the settings a variant sets (comma-separated: region,
 * credentials, endpoint); empty, the SDK resolves all three itself.
 */

/** The settings an experiment can set explicitly. */
export const SDK_SETTINGS = ['region', 'credentials', 'endpoint'] as const;
export type SdkSetting = (typeof SDK_SETTINGS)[number];

/** The SDK's identifier of a service in `AWS_ENDPOINT_URL_<SERVICE>`. */
export type EndpointServiceId = 'DYNAMODB' | 'S3';

/** Credentials as the SDK's environment provider (`fromEnv`) reads them. */
export interface EnvironmentCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly credentialScope?: string;
  readonly accountId?: string;
}

/** Client settings read from the environment; each only when its variables are set. */
export interface EnvironmentSettings {
  readonly region?: string;
  readonly credentials?: EnvironmentCredentials;
  readonly endpoint?: string;
}

const present = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

/** The credentials in the environment, with the fields `fromEnv` reads. */
function environmentCredentials(env: NodeJS.ProcessEnv): EnvironmentCredentials | undefined {
  const accessKeyId = present(env['AWS_ACCESS_KEY_ID']);
  const secretAccessKey = present(env['AWS_SECRET_ACCESS_KEY']);
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = present(env['AWS_SESSION_TOKEN']);
  const expiration = present(env['AWS_CREDENTIAL_EXPIRATION']);
  const credentialScope = present(env['AWS_CREDENTIAL_SCOPE']);
  const accountId = present(env['AWS_ACCOUNT_ID']);
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
    ...(credentialScope ? { credentialScope } : {}),
    ...(accountId ? { accountId } : {}),
  };
}

/**
 * Region, credentials and endpoint of a client for `service`, from the environment. The
 * endpoint, as the SDK takes it: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`,
 * unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true; on AWS there is none.
 */
export function environmentSettings(
  service: EndpointServiceId,
  env: NodeJS.ProcessEnv = process.env,
): EnvironmentSettings {
  const region = present(env['AWS_REGION']);
  const credentials = environmentCredentials(env);
  const endpoint =
    env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']?.trim().toLowerCase() === 'true'
      ? undefined
      : (present(env[`AWS_ENDPOINT_URL_${service}`]) ?? present(env['AWS_ENDPOINT_URL']));
  return {
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

const isSetting = (name: string): name is SdkSetting =>
  (SDK_SETTINGS as readonly string[]).includes(name);

/**
 * The settings of a client for `service` that the experiment asked for.
 *
 * @throws Error when a setting is unknown or the environment does not provide it: an
 * experiment that silently set nothing would measure the default under another name.
 */
export function chosenSettings(
  service: EndpointServiceId,
  env: NodeJS.ProcessEnv = process.env,
): EnvironmentSettings {
  const available = environmentSettings(service, env);
  const names = (env['TAP_BENCH_SDK_SETTINGS'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const chosen: Record<string, unknown> = {};
  for (const name of names) {
    if (!isSetting(name)) throw new Error(`unknown SDK setting ${JSON.stringify(name)}`);
    if (available[name] === undefined) throw new Error(`the environment gives no ${name}`);
    chosen[name] = available[name];
  }
  return chosen as EnvironmentSettings;
}
