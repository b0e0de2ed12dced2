// `npx nx run local-cloud:rotate-api-key -- --endpoint <url>`: rotates the API key of a
// running local cloud through its Secrets Manager emulator (RotateSecret), exactly as a
// rotation schedule would on AWS. The running cloud rewrites its outputs file.
import {
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  API_KEY_HEADER,
  TAP_REGION,
  resolveEnvironmentSuffix,
  resourceNames,
} from '@tap/contracts';
import { LOCAL_ACCOUNT } from './local-account';

/** Usage text of the command. */
export const ROTATE_USAGE = `Usage: npx nx run local-cloud:rotate-api-key -- --endpoint <url>

Rotates the API key of the running local cloud. <url> is its Secrets Manager endpoint,
printed by npm start. Uses ENVIRONMENT_SUFFIX (default: dev) for the secret's name.`;

/**
 * Reads `--endpoint <url>` (or `--endpoint=<url>`).
 *
 * @throws Error with the usage when it is missing or not an http(s) URL.
 */
export function parseRotateOptions(argv: readonly string[]): { endpoint: string } {
  const args = [...argv];
  let endpoint: string | undefined;
  while (args.length > 0) {
    const arg = args.shift() ?? '';
    if (arg === '--endpoint') endpoint = args.shift();
    else if (arg.startsWith('--endpoint=')) endpoint = arg.slice('--endpoint='.length);
    else throw new Error(`unknown option ${arg}\n${ROTATE_USAGE}`);
  }
  if (endpoint === undefined || !/^https?:\/\/[^\s]+$/.test(endpoint)) {
    throw new Error(`--endpoint needs the Secrets Manager endpoint URL\n${ROTATE_USAGE}`);
  }
  return { endpoint };
}

async function main(): Promise<number> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let endpoint: string;
  try {
    ({ endpoint } = parseRotateOptions(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const suffix = resolveEnvironmentSuffix({ env: process.env['ENVIRONMENT_SUFFIX'] });
  const secretId = resourceNames(suffix, LOCAL_ACCOUNT, TAP_REGION).apiKeySecret;
  // The emulator accepts any credentials; these keep a real profile out of it.
  const client = new SecretsManagerClient({
    endpoint,
    region: TAP_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await client.send(new RotateSecretCommand({ SecretId: secretId }));
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const { apiKey } = JSON.parse(SecretString ?? '{}') as { apiKey?: string };
    console.log(`Rotated ${secretId}. New API key: ${apiKey} (header ${API_KEY_HEADER});`);
    console.log('the previous key keeps working until the next rotation.');
    return 0;
  } catch (error) {
    console.error(`Rotation failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    client.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
