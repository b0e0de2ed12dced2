/**
 * What a Powertools secret reader is built from, which ./secrets.ts loads with `import()`
 * on the first read: the client, the provider and our HTTP handler settings (the handler
 * pulls in the SDK's protocol code, so it must not be imported before it is needed).
 *
 * `import()` of a package keeps every export of it in the chunk (for Secrets Manager, every
 * command); going through this module keeps only these.
 */
export { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
export { createHttpHandler, MAX_ATTEMPTS } from '@tap/lambda-runtime';
