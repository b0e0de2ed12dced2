import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from './compliance';
import {
  ACCOUNT_KINDS,
  DEPLOY_ROLES_STACK_NAME,
  TapDeployRolesStack,
  type AccountKind,
  type TapDeployRolesStackProps,
} from './deploy-roles-stack';
import { readCdkJsonContext } from './stack-config';

/** What the roles of one account are made for. */
export type DeployRolesOptions = Pick<
  TapDeployRolesStackProps,
  'accountKind' | 'account' | 'repository' | 'bootstrapQualifier' | 'existingOidcProvider'
>;

/** Usage of `apps/infra/scripts/deploy-roles.ts`. */
export const DEPLOY_ROLES_USAGE =
  'Usage: tsx apps/infra/scripts/deploy-roles.ts --kind <development|staging|production> ' +
  '--account <12 digits> --repository <owner>/<repo> [--qualifier <bootstrap qualifier>] ' +
  '[--existing-oidc-provider]';

/**
 * The options of the command line: `--kind`, `--account`, `--repository`, optionally
 * `--qualifier` and `--existing-oidc-provider`.
 *
 * @throws Error naming the missing or unknown option, with the usage.
 */
export function parseDeployRolesArgs(argv: readonly string[]): DeployRolesOptions {
  const values: Record<string, string | true> = {};
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--existing-oidc-provider') {
      values['existing-oidc-provider'] = true;
      continue;
    }
    const name = /^--(kind|account|repository|qualifier)$/.exec(arg)?.[1];
    const value = argv[index + 1];
    if (name === undefined || value === undefined || value.startsWith('--')) {
      throw new Error(`Unexpected argument ${JSON.stringify(arg)}. ${DEPLOY_ROLES_USAGE}`);
    }
    values[name] = value;
    index++;
  }
  const kind = values.kind;
  if (typeof kind !== 'string' || !(ACCOUNT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`--kind must be one of ${ACCOUNT_KINDS.join(', ')}. ${DEPLOY_ROLES_USAGE}`);
  }
  const required = (name: string): string => {
    const value = values[name];
    if (typeof value !== 'string') throw new Error(`--${name} is required. ${DEPLOY_ROLES_USAGE}`);
    return value;
  };
  const qualifier = values.qualifier;
  return {
    accountKind: kind as AccountKind,
    account: required('account'),
    repository: required('repository'),
    ...(typeof qualifier === 'string' ? { bootstrapQualifier: qualifier } : {}),
    existingOidcProvider: values['existing-oidc-provider'] === true,
  };
}

/**
 * The app of one account's roles: the {@link TapDeployRolesStack}, with `cdk.json`'s feature
 * flags and the same cdk-nag packs as the TAP stack (a finding fails the synthesis).
 */
export function createDeployRolesApp(
  options: DeployRolesOptions,
  outdir?: string,
): { app: App; stack: TapDeployRolesStack } {
  const app = new App({
    context: readCdkJsonContext(path.join(__dirname, '..', 'cdk.json')),
    ...(outdir === undefined ? {} : { outdir }),
  });
  const stack = new TapDeployRolesStack(app, DEPLOY_ROLES_STACK_NAME, options);
  addComplianceChecks(app);
  return { app, stack };
}

/**
 * Synthesizes the roles of one account (cdk-nag included) and returns the CloudFormation
 * template, ready for `aws cloudformation deploy`.
 */
export function deployRolesTemplate(options: DeployRolesOptions): Record<string, unknown> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'tap-deploy-roles-'));
  try {
    const { app, stack } = createDeployRolesApp(options, outdir);
    const assembly = app.synth();
    const file = assembly.getStackByName(stack.stackName).templateFullPath;
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
