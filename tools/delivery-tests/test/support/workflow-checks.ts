/**
 * Checks of our own on the GitHub Actions workflows: the rules of this repository's
 * delivery (actions pinned by commit, OIDC only, ephemeral stacks always destroyed,
 * protected stacks deployed from the checks job's assembly behind their environments,
 * staging and a reviewed diff before production, rollback after a failed smoke test,
 * trusted publishing with provenance) and a context check of every expression.
 * actionlint (`nx run delivery-tests:lint-workflows`) checks the GitHub syntax itself.
 */
import { parse } from 'yaml';

type Scalar = string | number | boolean | null;
type Mapping = Record<string, unknown>;

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: Scalar;
  readonly with?: Mapping;
  readonly env?: Mapping;
}

interface Job {
  readonly needs?: string | string[];
  readonly if?: Scalar;
  readonly permissions?: Mapping | string;
  readonly environment?: string | { readonly name?: string };
  readonly env?: Mapping;
  readonly concurrency?: string | { readonly group?: string };
  readonly outputs?: Mapping;
  readonly steps?: readonly Step[];
}

interface Workflow {
  readonly on?: unknown;
  readonly permissions?: Mapping | string;
  readonly env?: Mapping;
  readonly jobs?: Record<string, Job>;
}

/** Contexts an expression may start with (https://docs.github.com/actions/learn-github-actions/contexts). */
const CONTEXTS = new Set([
  'github',
  'env',
  'vars',
  'secrets',
  'needs',
  'steps',
  'job',
  'jobs',
  'runner',
  'matrix',
  'strategy',
  'inputs',
]);

/** Functions an expression may call. */
const FUNCTIONS = new Set([
  'always',
  'success',
  'failure',
  'cancelled',
  'contains',
  'startsWith',
  'endsWith',
  'format',
  'join',
  'toJSON',
  'fromJSON',
  'hashFiles',
]);

const LITERALS = new Set(['true', 'false', 'null']);

/** The ARN variables of the deploy roles, and which environment may use which. */
const PROD_ROLE_VARIABLE = 'AWS_PROD_DEPLOY_ROLE_ARN';
const PROD_ENVIRONMENT = 'production';
const PROD_SUFFIX = 'prod';
const STAGING_SUFFIX = 'staging';

/** Protected stacks (suffix) and the GitHub environment each one's deploy runs in. */
const PROTECTED_DEPLOYS: Readonly<Record<string, string>> = {
  [PROD_SUFFIX]: PROD_ENVIRONMENT,
  [STAGING_SUFFIX]: 'staging',
};

const AWS_CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials';
const CHECKOUT_ACTION = 'actions/checkout';

/** Expressions in a string: the insides of every `${{ }}`. */
function embeddedExpressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => match[1] ?? '');
}

/** An `if:` is an expression with or without `${{ }}`. */
function conditionExpression(condition: Scalar | undefined): string | undefined {
  if (condition === undefined || condition === null) return undefined;
  const text = String(condition);
  const embedded = embeddedExpressions(text);
  return embedded.length > 0 ? embedded.join(' && ') : text;
}

/** Every string in a YAML value, with its path. */
function* stringsIn(value: unknown, where: string): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [where, value];
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* stringsIn(item, `${where}[${index}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, `${where}.${key}`);
  }
}

/** What an expression may refer to where it stands. */
interface Scope {
  readonly needs: ReadonlySet<string>;
  readonly steps: ReadonlySet<string>;
}

/** Problems of one expression: unknown contexts, functions, jobs or steps. */
function expressionProblems(expression: string, scope: Scope): string[] {
  const problems: string[] = [];
  // String literals may hold anything; '' is an escaped quote inside one.
  const code = expression.replace(/'(?:[^']|'')*'/g, "''");
  // Identifiers that start a reference: not a property (after `.`) and not part of a word.
  for (const match of code.matchAll(/(?<![\w.-])([A-Za-z_][\w-]*)(\s*\()?/g)) {
    const name = match[1] ?? '';
    const isCall = match[2] !== undefined;
    if (isCall) {
      if (!FUNCTIONS.has(name)) problems.push(`unknown function ${name}()`);
      continue;
    }
    if (LITERALS.has(name)) continue;
    if (!CONTEXTS.has(name)) {
      problems.push(`unknown context "${name}"`);
      continue;
    }
    const rest = code.slice((match.index ?? 0) + name.length);
    const member = /^\.([\w-]+)/.exec(rest)?.[1];
    if (name === 'needs' && member && !scope.needs.has(member)) {
      problems.push(`needs.${member}: "${member}" is not in this job's needs`);
    }
    if (name === 'steps' && member && !scope.steps.has(member)) {
      problems.push(`steps.${member}: no earlier step has the id "${member}"`);
    }
  }
  return problems;
}

/** A copy of `value` without `keys` (whose expressions are checked separately). */
function without(value: object, keys: readonly string[]): Mapping {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The permission a job ends up with for `scope` (its own block, else the workflow's). */
function permission(workflow: Workflow, job: Job, scope: string): string | undefined {
  const block = job.permissions ?? workflow.permissions;
  if (typeof block === 'string') return block === 'write-all' ? 'write' : 'read';
  const value = block?.[scope];
  return typeof value === 'string' ? value : undefined;
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

function actionName(step: Step): string | undefined {
  return step.uses?.split('@')[0];
}

/** The suffix a job deploys with: `ENVIRONMENT_SUFFIX` of the job or the workflow. */
function environmentSuffix(workflow: Workflow, job: Job, step?: Step): string | undefined {
  const value =
    step?.env?.ENVIRONMENT_SUFFIX ??
    job.env?.ENVIRONMENT_SUFFIX ??
    workflow.env?.ENVIRONMENT_SUFFIX;
  return value === undefined ? undefined : String(value);
}

const runs = (step: Step, pattern: RegExp): boolean => pattern.test(step.run ?? '');
const DEPLOYS = /\bnx\s+(run\s+infra:deploy|affected\b.*\s-t\s+deploy\b)|\bcdk(\.ts)?\s+deploy\b/;
const DESTROYS = /\bnx\s+run\s+infra:destroy\b|\bcdk(\.ts)?\s+destroy\b/;
const DIFFS = /\bcdk(\.ts)?\s+diff\b/;
/** What synthesizes a cloud assembly: the synth target, `cdk synth`, or a deploy without `--app`. */
const SYNTHESIZES = /\binfra:synth\b|\bcdk\s+synth\b|\bnx\s+affected\b.*\s-t\s+.*\bsynth\b/;
/** AWS's template linter at an exact version (`pipx run --spec cfn-lint==1.49.0 ...`). */
const LINTS_TEMPLATES = /\bcfn-lint==\d+\.\d+\.\d+\b/;
const INSTALLS = /\bnpm\s+(ci|install|i)\b(?!.*--global)/;
const NEEDS_HISTORY = /\bnx\s+(affected|release)\b|\bnx\s+show\s+projects\s+--affected\b/;
const PUBLISHES = /\bnx\s+release\b(?!.*--skip-publish)(?!.*--dry-run)|\bnpm\s+publish\b/;
const INTEGRATION_SUITE = /integration-tests/;
/** The suite's jest run without its Nx target (`dependsOn: ^build`). */
const SUITE_WITHOUT_BUILD = /\bjest\b.*\btools\/integration-tests\//;
const SMOKE_TEST = /\/health\b/;
/** The cloud assembly directory a deploy step deploys (`--app <dir>`), if any. */
const appDirectoryOf = (step: Step): string | undefined =>
  /--app\s+"?([^"\s]+)"?/.exec(step.run ?? '')?.[1];

function checkJob(workflow: Workflow, jobId: string, job: Job): string[] {
  const problems: string[] = [];
  const at = (where: string): string => `jobs.${jobId}${where}`;
  const steps = job.steps ?? [];
  const needs = new Set(asList(job.needs));
  const allStepIds = new Set(steps.flatMap((step) => (step.id ? [step.id] : [])));

  // Expressions: job level sees every step's id (outputs are read after the steps ran).
  const jobScope: Scope = { needs, steps: allStepIds };
  const jobCondition = conditionExpression(job.if);
  if (jobCondition !== undefined) {
    for (const problem of expressionProblems(jobCondition, { needs, steps: new Set() })) {
      problems.push(`${at('.if')}: ${problem}`);
    }
  }
  for (const [where, text] of stringsIn(without(job, ['steps', 'if']), at(''))) {
    for (const expression of embeddedExpressions(text)) {
      for (const problem of expressionProblems(expression, jobScope))
        problems.push(`${where}: ${problem}`);
    }
  }
  const earlier = new Set<string>();
  for (const [index, step] of steps.entries()) {
    const scope: Scope = { needs, steps: new Set(earlier) };
    const where = at(`.steps[${index}]`);
    const condition = conditionExpression(step.if);
    if (condition !== undefined) {
      for (const problem of expressionProblems(condition, scope))
        problems.push(`${where}.if: ${problem}`);
    }
    for (const [path, text] of stringsIn(without(step, ['if']), where)) {
      for (const expression of embeddedExpressions(text)) {
        for (const problem of expressionProblems(expression, scope))
          problems.push(`${path}: ${problem}`);
      }
    }
    if (step.id) earlier.add(step.id);
  }

  // Actions are pinned by commit (checkPins reads the version comments in the source).
  for (const [index, step] of steps.entries()) {
    if (!step.uses || step.uses.startsWith('./')) continue;
    const ref = step.uses.split('@')[1] ?? '';
    if (!/^[0-9a-f]{40}$/.test(ref)) {
      problems.push(`${at(`.steps[${index}]`)}: ${step.uses} is not pinned to a full commit SHA`);
    }
  }

  // AWS credentials come from OIDC only.
  const credentialSteps = steps.filter((step) => actionName(step) === AWS_CREDENTIALS_ACTION);
  if (credentialSteps.length > 0 && permission(workflow, job, 'id-token') !== 'write') {
    problems.push(`${at('')}: assumes an AWS role but lacks permissions id-token: write`);
  }
  for (const step of credentialSteps) {
    const inputs = step.with ?? {};
    if ('aws-access-key-id' in inputs || 'aws-secret-access-key' in inputs) {
      problems.push(`${at('')}: passes long-lived AWS keys to ${AWS_CREDENTIALS_ACTION}`);
    }
    const role = String(inputs['role-to-assume'] ?? '');
    if (!/^\$\{\{\s*vars\.[A-Z0-9_]+\s*\}\}$/.test(role)) {
      problems.push(
        `${at('')}: role-to-assume must be a repository or environment variable, got "${role}"`,
      );
    }
    if (role.includes(PROD_ROLE_VARIABLE) && environmentName(job) !== PROD_ENVIRONMENT) {
      problems.push(
        `${at('')}: assumes the production role outside the ${PROD_ENVIRONMENT} environment`,
      );
    }
  }
  for (const [where, text] of stringsIn(job, at(''))) {
    // Keys of env blocks are part of the path: `env.AWS_ACCESS_KEY_ID: ...` counts too.
    if (/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/.test(`${where} ${text}`)) {
      problems.push(`${where}: long-lived AWS keys`);
    }
  }

  // Deploys: production behind its environment; any other stack destroyed, always.
  const deployIndex = steps.findIndex((step) => runs(step, DEPLOYS));
  if (deployIndex >= 0) {
    const deployStep = steps[deployIndex] as Step;
    const suffix = environmentSuffix(workflow, job, deployStep);
    if (suffix === undefined) {
      problems.push(`${at('')}: deploys without an ENVIRONMENT_SUFFIX (it would deploy "dev")`);
    } else if (suffix in PROTECTED_DEPLOYS) {
      const environment = PROTECTED_DEPLOYS[suffix];
      if (environmentName(job) !== environment) {
        const what = suffix === PROD_SUFFIX ? 'production' : suffix;
        problems.push(`${at('')}: deploys ${what} outside the ${environment} environment`);
      }
      // Build once: what was checked is what ships, so no install and no synthesis here.
      if (!appDirectoryOf(deployStep)) {
        problems.push(`${at('')}: deploys stack ${suffix} without --app <cloud assembly>`);
      }
      for (const step of steps) {
        if (runs(step, INSTALLS)) problems.push(`${at('')}: installs again before deploying`);
        if (runs(step, SYNTHESIZES)) problems.push(`${at('')}: synthesizes again before deploying`);
      }
    } else {
      const destroy = steps.slice(deployIndex + 1).find((step) => runs(step, DESTROYS));
      if (!destroy) {
        problems.push(`${at('')}: deploys stack ${suffix} and never destroys it`);
      } else if (!/\balways\(\)/.test(String(destroy.if ?? ''))) {
        problems.push(`${at('')}: destroys stack ${suffix} without if: always()`);
      }
      if (credentialSteps.length === 0) problems.push(`${at('')}: deploys without AWS credentials`);
    }
    for (const step of steps) {
      const outputsFile = step.env?.TAP_OUTPUTS_FILE;
      if (outputsFile !== undefined && outputsFile !== `cfn-outputs/${suffix}.json`) {
        problems.push(
          `${at('')}: TAP_OUTPUTS_FILE ${String(outputsFile)} is not the outputs of stack ${suffix}`,
        );
      }
    }
  }

  // The suite needs the built client and bundles, which only its Nx target builds first.
  for (const step of steps.filter((candidate) => runs(candidate, SUITE_WITHOUT_BUILD))) {
    problems.push(
      `${at('')}: runs the integration suite with jest directly (${String(step.name ?? step.run)}); ` +
        'nothing builds the client and bundles it needs: nx run integration-tests:integration',
    );
  }

  // What a job synthesizes, AWS's own linter reads before it goes anywhere.
  const synthIndex = steps.findIndex((step) => runs(step, SYNTHESIZES));
  if (synthIndex >= 0 && !steps.slice(synthIndex + 1).some((step) => runs(step, LINTS_TEMPLATES))) {
    problems.push(`${at('')}: synthesizes templates and never runs a pinned cfn-lint over them`);
  }

  // nx affected and nx release compare with history a shallow clone does not have.
  if (steps.some((step) => runs(step, NEEDS_HISTORY))) {
    const checkout = steps.find((step) => actionName(step) === CHECKOUT_ACTION);
    if (checkout?.with?.['fetch-depth'] !== 0) {
      problems.push(`${at('')}: runs nx affected/release on a shallow clone (set fetch-depth: 0)`);
    }
  }

  // Publishing: trusted publishing (this job's OIDC identity, no npm token) and
  // provenance set by CI, not by the manifest.
  for (const step of steps.filter((candidate) => runs(candidate, PUBLISHES))) {
    if (permission(workflow, job, 'id-token') !== 'write') {
      problems.push(`${at('')}: publishes without id-token: write (no trusted publishing)`);
    }
    if (String(step.env?.NPM_CONFIG_PROVENANCE) !== 'true') {
      problems.push(`${at('')}: publishes without NPM_CONFIG_PROVENANCE=true`);
    }
  }
  if (steps.some((step) => runs(step, PUBLISHES))) {
    for (const [index, step] of steps.entries()) {
      if (step.uses?.startsWith('actions/setup-node@') && step.with?.['registry-url']) {
        problems.push(
          `${at(`.steps[${index}]`)}: registry-url makes setup-node write an npm token line, ` +
            'which stops trusted publishing',
        );
      }
    }
  }
  for (const [where, text] of stringsIn(job, at(''))) {
    if (/NODE_AUTH_TOKEN|NPM_TOKEN/.test(`${where} ${text}`)) {
      problems.push(`${where}: a long-lived npm token (publish by trusted publishing)`);
    }
  }
  // Versioning commits and tags; publishing (`nx release publish`) pushes nothing.
  if (steps.some((step) => /\bnx\s+release\b(?!\s+publish)(?!.*--dry-run)/.test(step.run ?? ''))) {
    if (permission(workflow, job, 'contents') !== 'write') {
      problems.push(`${at('')}: releases without contents: write (cannot push the tag)`);
    }
  }
  return problems;
}

/**
 * Every `uses:` line names its commit and, in a comment, the release that commit is
 * (`@<sha> # v1.2.3`): the SHA is what runs, the comment what a reviewer and an update
 * tool read.
 */
function pinProblems(source: string, file: string): string[] {
  const problems: string[] = [];
  for (const [index, line] of source.split('\n').entries()) {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!match) continue;
    const [, action = '', rest = ''] = match;
    if (action.startsWith('./')) continue;
    if (!/@[0-9a-f]{40}$/.test(action)) {
      problems.push(`${file}:${index + 1}: ${action} is not pinned to a full commit SHA`);
    } else if (!/^\s+#\s*v\d+\.\d+\.\d+\s*$/.test(rest)) {
      problems.push(`${file}:${index + 1}: ${action} has no "# vX.Y.Z" comment naming its release`);
    }
  }
  return problems;
}

/** Every job `jobId` waits for, directly or not. */
function ancestorsOf(jobs: Record<string, Job>, jobId: string): Set<string> {
  const seen = new Set<string>();
  const pending = [...asList(jobs[jobId]?.needs)];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...asList(jobs[next]?.needs));
  }
  return seen;
}

const DOWNLOAD_ARTIFACT = 'actions/download-artifact';
const UPLOAD_ARTIFACT = 'actions/upload-artifact';

/**
 * The rules between jobs: a protected stack deploys the assembly a job it waits for
 * synthesized and uploaded; production waits for staging (deployed and tested) and for a
 * diff written to the job summary outside the production environment; a failed smoke test
 * after the production deploy deploys again (the rollback).
 */
function pipelineProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  const jobs = workflow.jobs ?? {};
  const deployJobs = Object.entries(jobs).filter(([, job]) =>
    (job.steps ?? []).some((step) => runs(step, DEPLOYS)),
  );
  const suffixOf = (job: Job): string | undefined => {
    const deploy = (job.steps ?? []).find((step) => runs(step, DEPLOYS));
    return environmentSuffix(workflow, job, deploy);
  };
  for (const [jobId, job] of deployJobs) {
    const suffix = suffixOf(job);
    if (suffix === undefined || !(suffix in PROTECTED_DEPLOYS)) continue;
    const steps = job.steps ?? [];
    const ancestors = ancestorsOf(jobs, jobId);
    const deployStep = steps.find((step) => runs(step, DEPLOYS)) as Step;

    // The assembly: downloaded here, uploaded by an ancestor that synthesized it.
    const appDir = appDirectoryOf(deployStep)?.replace(/^\$GITHUB_WORKSPACE\//, '');
    const download = steps.find(
      (step) =>
        actionName(step) === DOWNLOAD_ARTIFACT &&
        appDir !== undefined &&
        appDir.startsWith(`${String(step.with?.path ?? '')}/`),
    );
    if (appDir !== undefined && !download) {
      problems.push(`jobs.${jobId}: deploys ${appDir}, which no download-artifact step provides`);
    } else if (download) {
      const name = String(download.with?.name ?? '');
      const producer = [...ancestors].find((ancestor) =>
        (jobs[ancestor]?.steps ?? []).some(
          (step) =>
            actionName(step) === UPLOAD_ARTIFACT &&
            String(step.with?.name ?? '') === name &&
            appDir?.startsWith(`${String(step.with?.path ?? '')}/`),
        ),
      );
      if (!producer) {
        problems.push(`jobs.${jobId}: deploys artifact "${name}", which no job it needs uploads`);
      } else if (!(jobs[producer]?.steps ?? []).some((step) => runs(step, SYNTHESIZES))) {
        problems.push(
          `jobs.${jobId}: artifact "${name}" comes from ${producer}, which synthesizes nothing`,
        );
      }
    }

    if (suffix === STAGING_SUFFIX) {
      const deployAt = steps.indexOf(deployStep);
      const tested = steps
        .slice(deployAt + 1)
        .some(
          (step) =>
            runs(step, INTEGRATION_SUITE) &&
            step.env?.TAP_OUTPUTS_FILE === `cfn-outputs/${STAGING_SUFFIX}.json`,
        );
      if (!tested) problems.push(`jobs.${jobId}: deploys staging without testing it after`);
    }
    if (suffix !== PROD_SUFFIX) continue;

    const staging = deployJobs.find(
      ([id, other]) => id !== jobId && suffixOf(other) === STAGING_SUFFIX,
    );
    if (!staging || !ancestors.has(staging[0])) {
      problems.push(`jobs.${jobId}: deploys production without waiting for the staging deploy`);
    }
    const reviewed = [...ancestors].some((ancestor) => {
      const other = jobs[ancestor] as Job;
      return (
        environmentName(other) !== PROD_ENVIRONMENT &&
        (other.steps ?? []).some((step) => runs(step, DIFFS) && runs(step, /\$GITHUB_STEP_SUMMARY/))
      );
    });
    if (!reviewed) {
      problems.push(
        `jobs.${jobId}: deploys production without a diff in the job summary of a job before its approval`,
      );
    }
    const smokeAt = steps.findIndex((step) => runs(step, SMOKE_TEST));
    const rollback = steps
      .slice(smokeAt + 1)
      .find((step) => runs(step, DEPLOYS) && /\bfailure\(\)/.test(String(step.if ?? '')));
    if (smokeAt < 0) problems.push(`jobs.${jobId}: deploys production without a smoke test`);
    else if (!rollback) {
      problems.push(`jobs.${jobId}: deploys production with no rollback after a failed smoke test`);
    }
  }
  return problems;
}

/**
 * Problems of one workflow file; none means it follows the delivery rules.
 *
 * @param source the YAML text of the workflow.
 * @param file its path, used in the messages.
 */
export function checkWorkflow(source: string, file: string): string[] {
  const workflow = parse(source) as Workflow;
  const problems: string[] = [];
  if (typeof workflow !== 'object' || workflow === null || !workflow.jobs) {
    return [`${file}: not a workflow (no jobs)`];
  }
  for (const [where, text] of stringsIn({ env: workflow.env }, file)) {
    for (const expression of embeddedExpressions(text)) {
      for (const problem of expressionProblems(expression, {
        needs: new Set(),
        steps: new Set(),
      })) {
        problems.push(`${where}: ${problem}`);
      }
    }
  }
  problems.push(...pinProblems(source, file));
  problems.push(...pipelineProblems(workflow).map((problem) => `${file}: ${problem}`));
  const triggers = workflow.on;
  const onPullRequest =
    typeof triggers === 'object' && triggers !== null && 'pull_request' in triggers;
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    problems.push(...checkJob(workflow, jobId, job).map((problem) => `${file}: ${problem}`));
    const deploys = (job.steps ?? []).some((step) => runs(step, DEPLOYS) || runs(step, DESTROYS));
    const group = typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group;
    if (
      onPullRequest &&
      deploys &&
      !String(group ?? '').includes('github.event.pull_request.number')
    ) {
      problems.push(
        `${file}: jobs.${jobId}: touches a PR stack without a per-PR concurrency group`,
      );
    }
  }
  return problems;
}

/** Names of the repository variables and secrets a workflow reads (`vars.X`, `secrets.X`). */
export function referencedSettings(source: string): { vars: string[]; secrets: string[] } {
  const names = (context: string): string[] =>
    [
      ...new Set(
        [...source.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][\\w]*)`, 'g'))].map(
          (m) => m[1] ?? '',
        ),
      ),
    ]
      .filter((name) => name !== 'GITHUB_TOKEN')
      .sort();
  return { vars: names('vars'), secrets: names('secrets') };
}
