/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api-handlers',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
