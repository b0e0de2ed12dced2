/** @type {import('jest').Config} */
module.exports = {
  displayName: 'health-handler',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
