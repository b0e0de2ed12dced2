/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-cloud',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};
