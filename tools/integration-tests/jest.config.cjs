/** @type {import('jest').Config} */
module.exports = { displayName: 'integration-tests', preset: '../../jest.preset.js', rootDir: __dirname };
