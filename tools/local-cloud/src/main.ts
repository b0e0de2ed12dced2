// `npm start`: runs the local cloud until Ctrl-C or SIGTERM.
import { API_KEY_HEADER, DEFAULT_LOCAL_TENANT } from '@tap/contracts';
import { findWorkspaceRoot } from '@tap/test-support';
import path from 'node:path';
import { parseCliOptions, USAGE, type CliOptions } from './cli-options';
import { PortInUseError } from './errors';
import { startLocalCloud, writeOutputsFile, type LocalCloud } from './local-cloud';

function waitForShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second Ctrl-C while stopping means "now".
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function banner(
  cloud: LocalCloud,
  options: CliOptions,
  workspaceRoot: string,
  outputsFile: string,
  seconds: number,
): string {
  const shown = (file: string): string => path.relative(process.cwd(), file) || '.';
  const dataDir = path.resolve(options.dataDir ?? path.join(workspaceRoot, '.local-cloud'));
  return [
    `TAP local cloud is up in ${seconds.toFixed(1)} s (environment ${cloud.outputs.EnvironmentSuffix})`,
    `  API              ${cloud.baseUrl}   (try: curl ${cloud.baseUrl}/health)`,
    `  API key          ${cloud.outputs.ApiKey}`,
    `                   (a machine key of tenant ${DEFAULT_LOCAL_TENANT}, every scope; header ${API_KEY_HEADER})`,
    `  Token issuer     ${cloud.outputs.IssuerUrl}   (the user pool's stand-in)`,
    `  Throttling       ${options.throttle ? "the stack's (429 past it; --no-throttle turns it off)" : 'off (--no-throttle)'}`,
    `  Outputs          ${shown(outputsFile)}`,
    `  Data             ${options.inMemory ? 'in memory (gone on exit)' : shown(dataDir)}`,
    `  DynamoDB         ${cloud.services.dynamodb.endpoint}`,
    `  S3               ${cloud.services.s3.endpoint}`,
    `  Secrets Manager  ${cloud.services.secretsManager.endpoint}`,
    'A user token:      npm run --silent token -- --user alice [--tenant acme] [--scopes items:read]',
    '                   then: curl -H "authorization: Bearer $TOKEN" ...',
    'A machine key:     npm run --silent keys -- create --tenant acme --scopes items:read,items:write',
    '                   (also: keys list [--tenant T], keys revoke <key id>, keys rotate <key id>)',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function main(): Promise<number> {
  // Provisioning uses the AWS SDK, which warns about Node.js < 22 on every start; that is
  // about future SDK releases, not about the local cloud.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let options: CliOptions;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const workspaceRoot = findWorkspaceRoot();
  const startedAt = performance.now();
  const outputsFile = path.resolve(
    process.env['LOCAL_CLOUD_OUTPUTS_FILE'] ??
      path.join(workspaceRoot, 'cfn-outputs', 'local.json'),
  );
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      port: options.port,
      inMemory: options.inMemory,
      workspaceRoot,
      ...(options.dataDir === undefined ? {} : { dataDir: path.resolve(options.dataDir) }),
      issuerPort: options.issuerPort,
      ...(options.logLevel === undefined ? {} : { functionLogLevel: options.logLevel }),
      ...(options.throttle ? {} : { throttles: false }),
      fileQuotas: options.fileQuotas,
    });
  } catch (error) {
    if (error instanceof PortInUseError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const shutdown = waitForShutdownSignal();
  await writeOutputsFile(cloud, outputsFile);
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(banner(cloud, options, workspaceRoot, outputsFile, seconds));

  const signal = await shutdown;
  console.log(`\n${signal}: stopping the local cloud…`);
  await cloud.stop();
  console.log('Stopped.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
