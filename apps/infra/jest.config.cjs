/** @type {import('jest').Config} */
module.exports = {
  displayName: 'infra',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Each spec file synthesizes its stack once in `beforeAll`; a cold CDK import plus a
  // synthesis can outlast Jest's default 5 s on a busy machine.
  testTimeout: 30000,
  setupFiles: ['<rootDir>/src/testing/jest-setup.ts'],
};
