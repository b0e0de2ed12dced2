/** @type {import('jest').Config} */
module.exports = { displayName: 'infra', preset: '../../jest.preset.js', rootDir: __dirname };
