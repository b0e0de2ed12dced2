/** @type {import('jest').Config} */
module.exports = {
  displayName: 'lambda-observability',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
