// Workspace lint policy. Module boundaries encode the architecture:
// - contracts import nothing of ours; the client only contracts;
// - runtime code (Lambda handlers) never imports the CDK, and the client never the AWS SDK;
// - infra reaches handler bundles through the project graph (build outputs), never their source;
// - test support (libs/test-support) is for tests: shipped code never imports it.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import jest from 'eslint-plugin-jest';

const CDK = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'aws-cdk'];
const EMULATORS = ['dynalite', 's3rver'];
const TEST_FILES = ['**/*.spec.ts', '**/test/**/*.ts'];

/**
 * The only application code the benchmarks may import: the SDK client factories of the
 * functions (each app's package.json exports them). A cold-start floor builds its clients
 * with them, so that it measures the function's own client settings, not a copy.
 */
const CLIENT_FACTORIES = [
  '@tap/api-handlers/adapters/aws/*',
  '@tap/health-handler/aws-clients',
  '@tap/health-handler/config',
];

/**
 * Module boundary policy. Test files may also import the emulators and the test support
 * library; the local cloud (a development tool built on the emulators) and the end-to-end
 * suites may import the test support anywhere. (A contract test importing it would still
 * fail: the library depends on the contracts, and the rule rejects circular dependencies.)
 */
function moduleBoundaries({ tests, allow = [] }) {
  const emulators = tests ? [] : EMULATORS;
  const testSupport = tests ? ['type:test-support'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: [
      {
        sourceTag: 'type:contract',
        onlyDependOnLibsWithTags: ['type:contract', ...testSupport],
        bannedExternalImports: [...CDK, '@aws-sdk/*', '@aws-lambda-powertools/*', ...emulators],
      },
      {
        sourceTag: 'type:client',
        onlyDependOnLibsWithTags: ['type:contract', ...testSupport],
        bannedExternalImports: [
          ...CDK,
          '@aws-sdk/*',
          '@smithy/*',
          '@aws-lambda-powertools/*',
          ...emulators,
        ],
      },
      {
        sourceTag: 'type:runtime-lib',
        onlyDependOnLibsWithTags: ['type:contract', ...testSupport],
        bannedExternalImports: [...CDK, ...emulators],
      },
      {
        sourceTag: 'type:runtime',
        onlyDependOnLibsWithTags: [
          'type:contract',
          'type:client',
          'type:runtime-lib',
          ...testSupport,
        ],
        bannedExternalImports: [...CDK, ...emulators],
      },
      {
        sourceTag: 'type:infra',
        onlyDependOnLibsWithTags: ['type:contract', ...testSupport],
        bannedExternalImports: [...emulators, '@aws-lambda-powertools/*'],
      },
      {
        sourceTag: 'type:test-support',
        onlyDependOnLibsWithTags: ['type:contract'],
        bannedExternalImports: [...CDK],
      },
      {
        sourceTag: 'type:tool',
        onlyDependOnLibsWithTags: ['type:contract', 'type:client', 'type:test-support'],
        bannedExternalImports: [...CDK],
      },
      {
        // The benchmarks drive the local cloud and the client, build their baselines with
        // the workspace's own bundler options (tools/scripts), their floors with the
        // functions' runtime library and client factories (CLIENT_FACTORIES), and share
        // the workspace root and emulator clients of the test support.
        sourceTag: 'type:bench',
        onlyDependOnLibsWithTags: [
          'type:contract',
          'type:client',
          'type:tool',
          'type:runtime-lib',
          'type:test-support',
        ],
        bannedExternalImports: [...CDK],
      },
      {
        sourceTag: 'type:e2e',
        onlyDependOnLibsWithTags: [
          'type:contract',
          'type:client',
          'type:tool',
          'type:test-support',
        ],
        bannedExternalImports: [...CDK],
      },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/cdk.out',
      '**/coverage',
      '**/.nx',
      '**/.local-cloud',
      'cfn-outputs',
      'libs/contracts/src/generated/**',
      // The benchmarks' scratch space, ignored by git and Prettier too.
      'bench/.scratch',
    ],
  },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ tests: false })] },
  },
  {
    files: ['bench/floors/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        moduleBoundaries({ tests: false, allow: CLIENT_FACTORIES }),
      ],
    },
  },
  {
    // Tests of runtime code run it against the emulators; shipped code never may.
    files: TEST_FILES,
    plugins: { jest },
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ tests: true })],
      // A focused test silently stops the rest of its file from running, a skipped one
      // stops itself: either would let the gate pass on fewer tests than it shows.
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      // A test asserts the status first; the body is then present, and a `!` says so
      // more plainly than a guard that would only repeat the assertion.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The API function's layers (apps/api-handlers/README.md): dependencies point inward.
    // The core knows no AWS SDK, no Lambda event and no adapter; adapters never reach up
    // into the event handlers or the composition roots.
    files: ['apps/api-handlers/src/core/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*', 'aws-lambda'],
              message: 'The core is free of AWS and Lambda: put this in an adapter.',
            },
            {
              group: ['**/adapters/**', '**/handlers/**', '**/functions/**'],
              message: 'The core depends on nothing outside it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/api-handlers/src/adapters/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/handlers/**', '**/functions/**'],
              message:
                "Adapters implement the core's ports; they never import event handlers or composition roots.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
];
