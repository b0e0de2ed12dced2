/** @type {import('jest').Config} */
module.exports = {
  displayName: 'lambda-runtime',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
