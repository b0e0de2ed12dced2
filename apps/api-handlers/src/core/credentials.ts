/**
 * The authorizer's ports: what it needs to turn a credential into a principal. The
 * adapters (aws-jwt-verify for tokens, DynamoDB for machine keys) implement them.
 */
import type { MachineKeyRecord, Principal } from '@tap/contracts';

/**
 * A credential that does not authenticate anyone: a malformed, expired or foreign token, an
 * unknown or revoked key. The authorizer answers every such case with the same 401, so
 * the message is for the log only.
 */
export class InvalidCredentialError extends Error {
  constructor(
    message: string,
    /** A short, stable reason for metrics and logs (`expired`, `unknown-key`, …). */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InvalidCredentialError';
  }
}

/** Verifies a user's access token. */
export interface TokenVerifier {
  /**
   * The user the token was issued to.
   *
   * @throws InvalidCredentialError when the token does not verify or names no usable tenant.
   */
  verify(token: string): Promise<Principal>;
}

/** Reads machine keys. */
export interface MachineKeyStore {
  /**
   * The key's record, or `undefined` when there is none (or it is not a well-formed record).
   *
   * @throws Error when the store cannot be read: the authorizer then fails closed.
   */
  find(keyId: string): Promise<MachineKeyRecord | undefined>;
}
