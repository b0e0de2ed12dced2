/**
 * The integration suite runs through the typed client against the local cloud (started
 * in-process by each test file) or, with TAP_OUTPUTS_FILE, against a deployed stack.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'integration-tests',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
  // Each file starts its own local cloud; two at a time suits a 2-core machine.
  maxWorkers: 2,
};
