/**
 * Delivery checks run real tools (git, Nx, npm, tsc) in scratch directories: generous
 * timeouts, and two files at a time, as much as a 2-core machine takes.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'delivery-tests',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 60_000,
  maxWorkers: 2,
};
