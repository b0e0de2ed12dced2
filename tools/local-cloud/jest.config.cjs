/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-cloud',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // jose ships ES modules only, which Jest cannot require() before Node 24.9; SWC compiles
  // it to CommonJS like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};
