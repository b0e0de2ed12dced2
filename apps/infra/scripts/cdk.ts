// `nx run infra:diff|deploy|destroy`: runs the workspace's cdk CLI on the stack of the
// environment (context `environmentSuffix` or ENVIRONMENT_SUFFIX). Usage:
//   tsx apps/infra/scripts/cdk.ts <diff|deploy|destroy> [cdk options...]
import { runCdkCommand } from '../src/cdk-command';

try {
  process.exitCode = runCdkCommand(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
