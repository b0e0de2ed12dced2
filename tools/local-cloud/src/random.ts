import { randomInt } from 'node:crypto';

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A cryptographically random string of ASCII letters and digits. */
export function randomAlphanumeric(length: number): string {
  let result = '';
  for (let index = 0; index < length; index += 1) {
    result += ALPHANUMERICS.charAt(randomInt(ALPHANUMERICS.length));
  }
  return result;
}
