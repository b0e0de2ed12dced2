import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveEnvironmentSuffix, STACK_OUTPUT_KEYS, type StackOutputs } from '@tap/contracts';
import { CONTEXT_KEYS, readProtectedEnvironments } from './environment-config';
import { findWorkspaceRoot } from './lambda-bundle';
import {
  ENVIRONMENT_SUFFIX_CONTEXT_KEY,
  ENVIRONMENT_SUFFIX_ENV_VAR,
  readCdkJsonContext,
  stackName,
} from './stack-config';

/**
 * `diff`, `deploy` and `destroy` of one environment's stack. The suffix is dynamic, so
 * the stack name cannot sit in `project.json`: it is resolved here exactly as the app
 * resolves it (context `environmentSuffix`, then `ENVIRONMENT_SUFFIX`, then `dev`).
 * `destroy` refuses protected environments (context `protectedEnvironments`).
 */

/** Commands the wrapper runs. */
export const CDK_COMMANDS = ['diff', 'deploy', 'destroy'] as const;

/** One of {@link CDK_COMMANDS}. */
export type CdkCommand = (typeof CDK_COMMANDS)[number];

/** What to run: the cdk arguments and, for `deploy`, where the outputs go. */
export interface CdkInvocation {
  readonly command: CdkCommand;
  readonly environmentSuffix: string;
  readonly stackName: string;
  /** Arguments of the cdk CLI, command first. */
  readonly cdkArgs: readonly string[];
  /** `deploy` only: `cfn-outputs/<suffix>.json` under the workspace root. */
  readonly outputsFile?: string;
}

interface ContextArgs {
  /** Last `environmentSuffix` given with `-c`/`--context`, as the CLI would take it. */
  readonly environmentSuffix?: string;
  /** The other arguments, passed through. */
  readonly rest: readonly string[];
}

/** The value of the last `-c <key>=<value>` (or `--context`, `--context=...`) in `args`. */
function contextValue(args: readonly string[], key: string): string | undefined {
  const prefix = `${key}=`;
  let found: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const inline = /^(?:-c|--context)=(.*)$/.exec(arg)?.[1];
    const value = inline ?? (arg === '-c' || arg === '--context' ? args[index + 1] : undefined);
    if (value?.startsWith(prefix)) found = value.slice(prefix.length);
  }
  return found;
}

/** Path of the infra project's `cdk.json` under the workspace root. */
export const cdkJsonPath = (workspaceRoot: string): string =>
  path.join(workspaceRoot, 'apps', 'infra', 'cdk.json');

/** Splits `-c environmentSuffix=x` (and `--context`, `--context=...`) off the arguments. */
function takeSuffixContext(args: readonly string[]): ContextArgs {
  const prefix = `${ENVIRONMENT_SUFFIX_CONTEXT_KEY}=`;
  let environmentSuffix: string | undefined;
  const rest: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const inline = /^(?:-c|--context)=(.*)$/.exec(arg);
    const next = args[index + 1];
    const isFlag = arg === '-c' || arg === '--context';
    const value = inline?.[1] ?? (isFlag ? next : undefined);
    if (value?.startsWith(prefix)) {
      environmentSuffix = value.slice(prefix.length);
      if (isFlag) index++;
      continue;
    }
    rest.push(arg);
  }
  return { environmentSuffix, rest };
}

/**
 * Plans a cdk run: which stack, with which flags. `deploy` never asks for approval and
 * writes the outputs file; `destroy` does not ask for confirmation, which is why it
 * refuses a protected environment outright.
 *
 * @param projectContext The `cdk.json` context (where `protectedEnvironments` may be set);
 *   `-c protectedEnvironments=...` in `args` adds to it.
 * @throws Error for an unknown command, an invalid environment suffix, or `destroy` of a
 *   protected environment.
 */
export function planCdkInvocation(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  workspaceRoot: string,
  projectContext: Readonly<Record<string, unknown>> = readCdkJsonContext(
    cdkJsonPath(workspaceRoot),
  ),
): CdkInvocation {
  if (!(CDK_COMMANDS as readonly string[]).includes(command)) {
    throw new Error(`Unknown command ${JSON.stringify(command)}: use ${CDK_COMMANDS.join(', ')}`);
  }
  const { environmentSuffix: fromContext, rest } = takeSuffixContext(args);
  const environmentSuffix = resolveEnvironmentSuffix({
    context: fromContext,
    env: env[ENVIRONMENT_SUFFIX_ENV_VAR],
  });
  const name = stackName(environmentSuffix);
  if (command === 'destroy') {
    // The project's list (cdk.json, else the default) always holds; `-c` can add to it,
    // never take an environment off it.
    const fromArgs = contextValue(rest, CONTEXT_KEYS.protectedEnvironments);
    const protectedEnvironments = [
      ...readProtectedEnvironments(projectContext[CONTEXT_KEYS.protectedEnvironments]),
      ...(fromArgs === undefined ? [] : readProtectedEnvironments(fromArgs)),
    ];
    if (protectedEnvironments.includes(environmentSuffix)) {
      throw new Error(
        `Refusing to destroy ${name}: environment "${environmentSuffix}" is protected ` +
          `(protectedEnvironments: ${[...new Set(protectedEnvironments)].join(', ')}). Its stack has ` +
          'termination protection and retains its tables, bucket, key, secret and user pool; tearing ' +
          'it down is a deliberate operation, not an Nx target.',
      );
    }
  }
  // The resolved suffix goes to the app as context, so it synthesizes the very stack named
  // here whatever else the environment holds.
  const common = [name, '--context', `${ENVIRONMENT_SUFFIX_CONTEXT_KEY}=${environmentSuffix}`];
  const cdkCommand = command as CdkCommand;
  const outputsFile = path.join(workspaceRoot, 'cfn-outputs', `${environmentSuffix}.json`);
  const commandFlags: Record<CdkCommand, readonly string[]> = {
    diff: [],
    deploy: ['--require-approval', 'never', '--outputs-file', outputsFile],
    destroy: ['--force'],
  };
  return {
    command: cdkCommand,
    environmentSuffix,
    stackName: name,
    cdkArgs: [cdkCommand, ...common, ...commandFlags[cdkCommand], ...rest],
    ...(cdkCommand === 'deploy' ? { outputsFile } : {}),
  };
}

/**
 * Picks one stack's outputs out of what `cdk deploy --outputs-file` writes (an object per
 * stack name), keeping exactly the {@link StackOutputs} keys.
 *
 * @throws Error when the stack or one of its outputs is missing.
 */
export function extractStackOutputs(allOutputs: unknown, name: string): StackOutputs {
  const stackOutputs = (allOutputs as Record<string, unknown> | null)?.[name];
  if (typeof stackOutputs !== 'object' || stackOutputs === null) {
    throw new Error(`The cdk outputs file has no outputs for stack ${name}`);
  }
  const values = stackOutputs as Record<string, unknown>;
  const picked: Record<string, string> = {};
  for (const key of STACK_OUTPUT_KEYS) {
    const value = values[key];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`Stack ${name} has no output ${key}`);
    }
    picked[key] = value;
  }
  return picked as unknown as StackOutputs;
}

/** Runs the cdk CLI with `args` from `cwd`; returns its exit code. */
export type CdkRunner = (args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) => number;

/** Runs the workspace's own cdk CLI (never a global one) with the current Node.js. */
export const runWorkspaceCdk: CdkRunner = (args, cwd, env) => {
  const result = spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), ...args], {
    cwd,
    env,
    stdio: 'inherit',
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

/** Options of {@link runCdkCommand}. */
export interface RunCdkCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly workspaceRoot?: string;
  readonly runCdk?: CdkRunner;
}

/**
 * Runs `cdk <command>` for the environment's stack from `apps/infra` (where `cdk.json`
 * is), and after a deploy rewrites the outputs file to that stack's outputs alone.
 *
 * @returns The exit code of the cdk CLI.
 */
export function runCdkCommand(argv: readonly string[], options: RunCdkCommandOptions = {}): number {
  const {
    env = process.env,
    workspaceRoot = findWorkspaceRoot(),
    runCdk = runWorkspaceCdk,
  } = options;
  const [command = '', ...args] = argv;
  const plan = planCdkInvocation(command, args, env, workspaceRoot);
  if (plan.outputsFile !== undefined) {
    mkdirSync(path.dirname(plan.outputsFile), { recursive: true });
  }
  console.log(`cdk ${plan.command} ${plan.stackName}`);
  const status = runCdk(plan.cdkArgs, path.join(workspaceRoot, 'apps', 'infra'), env);
  if (status === 0 && plan.outputsFile !== undefined) {
    const all: unknown = JSON.parse(readFileSync(plan.outputsFile, 'utf8'));
    const outputs = extractStackOutputs(all, plan.stackName);
    writeFileSync(plan.outputsFile, `${JSON.stringify(outputs, null, 2)}\n`);
    console.log(
      `Outputs of ${plan.stackName} written to ${path.relative(workspaceRoot, plan.outputsFile)}`,
    );
  }
  return status;
}
