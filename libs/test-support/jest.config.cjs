/** @type {import('jest').Config} */
module.exports = {
  displayName: 'test-support',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
