/**
 * The two classes a Powertools secret reader is built from, which ./secrets.ts loads with
 * `import()` on the first read.
 *
 * `import()` of a package keeps every export of it in the chunk (for Secrets Manager, every
 * command); going through this module keeps only these two.
 */
export { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
