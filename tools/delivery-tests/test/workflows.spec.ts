/**
 * The CI workflows follow the delivery rules (see support/workflow-checks.ts), and each
 * rule is shown to fire on a workflow that breaks it, so a passing run means something.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from '@tap/test-support';
import { checkWorkflow, referencedSettings } from './support/workflow-checks';

const root = WORKSPACE_ROOT;
const workflowsDir = path.join(root, '.github', 'workflows');
const read = (name: string): string => readFileSync(path.join(workflowsDir, name), 'utf8');

describe('CI workflows', () => {
  const files = readdirSync(workflowsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();

  it('are the pull request and the main workflows', () => {
    expect(files).toEqual(['main.yml', 'pull-request.yml']);
  });

  it.each(files)('%s follows the delivery rules', (name) => {
    expect(checkWorkflow(read(name), name)).toEqual([]);
  });

  it('run the pull request workflow on pull requests to main, and main on pushes to main', () => {
    const pullRequest = parse(read('pull-request.yml')) as {
      on: Record<string, { branches: string[] }>;
    };
    const main = parse(read('main.yml')) as { on: Record<string, { branches: string[] }> };
    expect(Object.keys(pullRequest.on)).toEqual(['pull_request']);
    expect(pullRequest.on.pull_request?.branches).toEqual(['main']);
    expect(Object.keys(main.on)).toEqual(['push']);
    expect(main.on.push?.branches).toEqual(['main']);
  });

  it('read only variables and secrets that docs/delivery.md documents', () => {
    const docs = readFileSync(path.join(root, 'docs', 'delivery.md'), 'utf8');
    const used = files.map((name) => referencedSettings(read(name)));
    const names = [...new Set(used.flatMap(({ vars, secrets }) => [...vars, ...secrets]))].sort();
    expect(names).toEqual(['AWS_DEPLOY_ROLE_ARN', 'AWS_PROD_DEPLOY_ROLE_ARN', 'NPM_TOKEN']);
    expect(names.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });
});

/** A real workflow with one edit; fails loudly if the edit no longer applies. */
function broken(name: string, from: string | RegExp, to: string): string {
  const source = read(name);
  const edited = source.replace(from, to);
  if (edited === source) throw new Error(`${String(from)} is not in ${name}: update this mutation`);
  return edited;
}

describe('the delivery rules reject', () => {
  it.each([
    {
      rule: 'an action on a branch instead of a version',
      workflow: broken('pull-request.yml', 'actions/checkout@v6', 'actions/checkout@main'),
      problem: /is not pinned to a version tag or commit/,
    },
    {
      rule: 'an expression naming an unknown context',
      workflow: broken(
        'pull-request.yml',
        '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
        '${{ var.AWS_DEPLOY_ROLE_ARN }}',
      ),
      problem: /unknown context "var"/,
    },
    {
      rule: 'an expression reading a job that is not needed',
      workflow: broken(
        'pull-request.yml',
        "needs.checks.outputs.infra-affected == 'true'",
        "needs.check.outputs.infra-affected == 'true'",
      ),
      problem: /needs\.check: "check" is not in this job's needs/,
    },
    {
      rule: 'an expression reading a step that does not exist',
      workflow: broken('main.yml', 'steps.version.outputs.tag', 'steps.versions.outputs.tag'),
      problem: /steps\.versions: no earlier step has the id "versions"/,
    },
    {
      rule: 'an AWS role assumed without id-token: write',
      workflow: broken('pull-request.yml', /permissions:\n {6}id-token: write\n/, 'permissions:\n'),
      problem: /assumes an AWS role but lacks permissions id-token: write/,
    },
    {
      rule: 'long-lived AWS keys',
      workflow: broken(
        'pull-request.yml',
        'role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}',
        'aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}',
      ),
      problem: /passes long-lived AWS keys/,
    },
    {
      rule: 'the production role outside the production environment',
      workflow: broken(
        'pull-request.yml',
        'vars.AWS_DEPLOY_ROLE_ARN',
        'vars.AWS_PROD_DEPLOY_ROLE_ARN',
      ),
      problem: /assumes the production role outside the production environment/,
    },
    {
      rule: 'a PR stack destroyed only when everything passed',
      workflow: broken(
        'pull-request.yml',
        '      - name: Destroy the PR stack\n        if: always()\n        run: npx nx run infra:destroy --outputStyle=static\n\n',
        '      - name: Destroy the PR stack\n        run: npx nx run infra:destroy --outputStyle=static\n\n',
      ),
      problem:
        /destroys stack pr\$\{\{ github\.event\.pull_request\.number \}\} without if: always\(\)/,
    },
    {
      rule: 'a PR stack never destroyed',
      workflow: broken(
        'pull-request.yml',
        '      - name: Destroy the PR stack\n        if: always()\n        run: npx nx run infra:destroy --outputStyle=static\n\n',
        '\n',
      ),
      problem: /and never destroys it/,
    },
    {
      rule: 'the integration suite pointed at another stack',
      workflow: broken(
        'pull-request.yml',
        'TAP_OUTPUTS_FILE: cfn-outputs/pr',
        'TAP_OUTPUTS_FILE: cfn-outputs/dev',
      ),
      problem: /TAP_OUTPUTS_FILE cfn-outputs\/dev.* is not the outputs of stack pr/,
    },
    {
      rule: 'a PR stack without a per-PR concurrency group',
      workflow: broken(
        'pull-request.yml',
        'group: pr-${{ github.event.pull_request.number }}-stack',
        'group: pr-stack',
      ),
      problem: /touches a PR stack without a per-PR concurrency group/,
    },
    {
      rule: 'production deployed outside its environment',
      workflow: broken('main.yml', /\n {4}environment: production\n/, '\n'),
      problem: /deploys production outside the production environment/,
    },
    {
      rule: 'nx affected on a shallow clone',
      workflow: broken(
        'main.yml',
        /(uses: actions\/checkout@v6)\n {8}with:\n {10}fetch-depth: 0\n/,
        '$1\n',
      ),
      problem: /runs nx affected\/release on a shallow clone/,
    },
    {
      rule: 'a publish without provenance',
      workflow: broken('main.yml', /\n {10}NPM_CONFIG_PROVENANCE: true/, ''),
      problem: /publishes without NPM_CONFIG_PROVENANCE=true/,
    },
    {
      rule: 'a release that cannot push its tag',
      workflow: broken('main.yml', 'contents: write', 'contents: read'),
      problem: /releases without contents: write/,
    },
  ])('$rule', ({ workflow, problem }) => {
    expect(checkWorkflow(workflow, 'edited.yml')).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });
});
