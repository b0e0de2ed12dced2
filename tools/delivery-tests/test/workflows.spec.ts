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

  it('are the pull request, main, publish, drift and janitor workflows', () => {
    expect(files).toEqual([
      'drift.yml',
      'janitor.yml',
      'main.yml',
      'publish.yml',
      'pull-request.yml',
    ]);
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

  it('run the drift check and the janitor on a schedule, and publish a tag on demand', () => {
    const on = (name: string): Record<string, unknown> =>
      (parse(read(name)) as { on: Record<string, unknown> }).on;
    expect(Object.keys(on('drift.yml')).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(Object.keys(on('janitor.yml')).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(on('publish.yml')).toEqual({
      workflow_dispatch: {
        inputs: { tag: expect.objectContaining({ required: true, type: 'string' }) },
      },
    });
  });

  it('pin every action to a full commit SHA', () => {
    const refs = files.flatMap((name) =>
      [...read(name).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)/gm)].map((match) => match[1] ?? ''),
    );
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((ref) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref))).toEqual([]);
  });

  it('give the same action the same commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const name of files) {
      for (const match of read(name).matchAll(/uses:\s*([\w.-]+\/[\w.-]+)[\w./-]*@(\S+ # \S+)/g)) {
        const [, action = '', pin = ''] = match;
        pins.set(action, (pins.get(action) ?? new Set()).add(pin));
      }
    }
    const inconsistent = [...pins].filter(([, found]) => found.size > 1).map(([action]) => action);
    expect(inconsistent).toEqual([]);
  });

  it('publish from publish.yml alone, which main starts for the tag it pushed', () => {
    const publishing = files.filter((name) => /\bnx\s+release\s+publish\b/.test(read(name)));
    expect(publishing).toEqual(['publish.yml']);
    expect(read('main.yml')).toMatch(/gh workflow run publish\.yml .*-f tag="\$RELEASE_TAG"/);
    expect(read('publish.yml')).toContain('ref: refs/tags/${{ inputs.tag }}');
  });

  it('move the base of main past release commits before anything reads it', () => {
    const main = parse(read('main.yml')) as {
      jobs: { checks: { steps: { id?: string; uses?: string; run?: string }[] } };
    };
    const steps = main.jobs.checks.steps;
    const shas = steps.findIndex((step) => step.uses?.startsWith('nrwl/nx-set-shas@'));
    const base = steps.findIndex((step) => step.run?.includes('release-aware-base.mjs'));
    const firstAffected = steps.findIndex((step) =>
      /\bnx\s+(affected|show)\b/.test(step.run ?? ''),
    );
    expect({ shas, base }).toEqual({ shas: expect.any(Number), base: shas + 1 });
    expect(firstAffected).toBeGreaterThan(base);
    expect(steps[base]?.run).toContain('NX_BASE=$base" >> "$GITHUB_ENV"');
  });

  it('reject a PR whose commits are not conventional', () => {
    expect(read('pull-request.yml')).toMatch(
      /run: npm run check:commits -- "\$BASE_SHA\.\.\$HEAD_SHA"/,
    );
  });

  it('read only variables and secrets that docs/delivery.md documents', () => {
    const docs = readFileSync(path.join(root, 'docs', 'delivery.md'), 'utf8');
    const used = files.map((name) => referencedSettings(read(name)));
    const names = [...new Set(used.flatMap(({ vars, secrets }) => [...vars, ...secrets]))].sort();
    expect(names).toEqual([
      'AWS_DEPLOY_ROLE_ARN',
      'AWS_JANITOR_ROLE_ARN',
      'AWS_PROD_ACCOUNT_ID',
      'AWS_PROD_DEPLOY_ROLE_ARN',
      'AWS_READONLY_ROLE_ARN',
      'AWS_STAGING_ACCOUNT_ID',
      'AWS_STAGING_DEPLOY_ROLE_ARN',
      'TAP_CDK_CONTEXT',
    ]);
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
      rule: 'a publishing job whose setup-node writes a token line',
      workflow: broken(
        'publish.yml',
        /node-version: 24\n/,
        'node-version: 24\n          registry-url: https://registry.npmjs.org\n',
      ),
      problem: /registry-url makes setup-node write an npm token line/,
    },
    {
      rule: 'the integration suite run by jest alone, with nothing built for it',
      workflow: broken(
        'main.yml',
        'run: npx nx run integration-tests:integration --skip-nx-cache --outputStyle=static',
        'run: npx jest -c tools/integration-tests/jest.config.cjs',
      ),
      problem: /jobs\.deploy-staging: runs the integration suite with jest directly/,
    },
    {
      rule: 'templates synthesized and shipped without cfn-lint',
      workflow: broken(
        'main.yml',
        /\n {6}- name: cfn-lint the staging and production templates\n.*\n/,
        '\n',
      ),
      problem: /jobs\.checks: synthesizes templates and never runs a pinned cfn-lint over them/,
    },
    {
      rule: 'a cfn-lint whose version is not pinned',
      workflow: broken('pull-request.yml', 'cfn-lint==1.49.0', 'cfn-lint'),
      problem: /jobs\.checks: synthesizes templates and never runs a pinned cfn-lint over them/,
    },
    {
      rule: 'an action on a branch instead of a commit',
      workflow: broken(
        'pull-request.yml',
        'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803',
        'actions/checkout@main',
      ),
      problem: /actions\/checkout@main is not pinned to a full commit SHA/,
    },
    {
      rule: 'an action on a version tag instead of a commit',
      workflow: broken(
        'main.yml',
        'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803',
        'actions/checkout@v6',
      ),
      problem: /actions\/checkout@v6 is not pinned to a full commit SHA/,
    },
    {
      rule: 'a commit pin without the release it is',
      workflow: broken(
        'main.yml',
        'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0',
        'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803',
      ),
      problem: /has no "# vX\.Y\.Z" comment/,
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
        /(uses: actions\/checkout@\w+ # v[\d.]+)\n {8}with:\n {10}fetch-depth: 0\n/,
        '$1\n',
      ),
      problem: /runs nx affected\/release on a shallow clone/,
    },
    {
      rule: 'a publish without provenance',
      workflow: broken('publish.yml', /\n {10}NPM_CONFIG_PROVENANCE: true/, ''),
      problem: /publishes without NPM_CONFIG_PROVENANCE=true/,
    },
    {
      rule: 'a publish without an OIDC token',
      workflow: broken('publish.yml', /\n {6}id-token: write/, ''),
      problem: /publishes without id-token: write/,
    },
    {
      rule: 'a publish with a long-lived npm token',
      workflow: broken(
        'publish.yml',
        '          NPM_CONFIG_PROVENANCE: true',
        '          NPM_CONFIG_PROVENANCE: true\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
      ),
      problem: /a long-lived npm token/,
    },
    {
      rule: 'a release that cannot push its tag',
      workflow: broken('main.yml', 'contents: write', 'contents: read'),
      problem: /releases without contents: write/,
    },
    {
      rule: 'staging deployed outside its environment',
      workflow: broken('main.yml', /\n {4}environment: staging\n/, '\n'),
      problem: /deploys staging outside the staging environment/,
    },
    {
      rule: 'a production deploy that synthesizes instead of deploying the assembly',
      workflow: broken(
        'main.yml',
        'cdk.ts deploy --app "$GITHUB_WORKSPACE/dist/assemblies/prod"',
        'cdk.ts deploy',
      ),
      problem: /deploys stack prod without --app <cloud assembly>/,
    },
    {
      rule: 'a deploy job that installs again',
      workflow: broken(
        'main.yml',
        '      - name: Deploy the staging assembly to TapStack-staging\n',
        '      - run: npm ci\n      - name: Deploy the staging assembly to TapStack-staging\n',
      ),
      problem: /jobs\.deploy-staging: installs again before deploying/,
    },
    {
      rule: 'a deploy job that synthesizes again',
      workflow: broken(
        'main.yml',
        '      - name: Deploy the staging assembly to TapStack-staging\n',
        '      - run: npx nx run infra:synth\n      - name: Deploy the staging assembly to TapStack-staging\n',
      ),
      problem: /jobs\.deploy-staging: synthesizes again before deploying/,
    },
    {
      rule: 'an assembly the checks job does not upload',
      workflow: broken(
        'main.yml',
        /name: cloud-assembly\n {10}path: dist\/assemblies\n {10}if-no/,
        'name: assemblies\n          path: dist/assemblies\n          if-no',
      ),
      problem: /deploys artifact "cloud-assembly", which no job it needs uploads/,
    },
    {
      rule: 'production deployed without waiting for staging',
      workflow: broken('main.yml', 'needs: [checks, deploy-staging]', 'needs: [checks]'),
      problem: /deploys production without waiting for the staging deploy/,
    },
    {
      rule: 'staging deployed but not tested',
      workflow: broken(
        'main.yml',
        'TAP_OUTPUTS_FILE: cfn-outputs/staging.json',
        'TAP_OUTPUTS_FILE_UNUSED: cfn-outputs/staging.json',
      ),
      problem: /deploys staging without testing it after/,
    },
    {
      rule: 'production deployed without the diff in a summary before the approval',
      workflow: broken('main.yml', '} >> "$GITHUB_STEP_SUMMARY"', '} > summary.md'),
      problem: /deploys production without a diff in the job summary/,
    },
    {
      rule: 'production deployed with no rollback after its smoke test',
      workflow: broken(
        'main.yml',
        "if: failure() && steps.smoke.outcome == 'failure'",
        'if: always()',
      ),
      problem: /deploys production with no rollback after a failed smoke test/,
    },
  ])('$rule', ({ workflow, problem }) => {
    expect(checkWorkflow(workflow, 'edited.yml')).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });
});
