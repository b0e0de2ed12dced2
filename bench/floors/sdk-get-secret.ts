/**
 * Floor of an authorizer that reads its key with the SDK: one GetSecretValue, nothing of
 * ours (what the authorizer did before it used the Parameters and Secrets extension).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const client = new SecretsManagerClient({});

export const handler = async () => {
  const { SecretString } = await client.send(
    new GetSecretValueCommand({ SecretId: process.env['API_KEY_SECRET_ID'] }),
  );
  return { isAuthorized: typeof SecretString === 'string' };
};
