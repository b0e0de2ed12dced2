/** @type {import('jest').Config} */
module.exports = { displayName: 'tap-client', preset: '../../jest.preset.js', rootDir: __dirname };
