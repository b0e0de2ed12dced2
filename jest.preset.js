/**
 * Shared Jest settings: TypeScript through SWC (type checking is the `typecheck`
 * target's job, so tests stay fast), Node environment, tests next to the code they test.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[cm]?[tj]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // jose ships ES modules only, which Jest's CommonJS runtime cannot require on Node 20:
  // compile it like our own code. Every other package is used as published.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  clearMocks: true,
};
