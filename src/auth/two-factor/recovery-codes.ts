import { randomInt } from 'node:crypto';
import { hashSecretToken } from '../../common/access/secret-token';

export const RECOVERY_CODE_COUNT = 10;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `ABCDE-FGHIJ`: 10 random base32 characters (50 bits), in two groups to be read and typed. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const characters = Array.from({ length: 10 }, () => BASE32[randomInt(BASE32.length)]).join('');
    return `${characters.slice(0, 5)}-${characters.slice(5)}`;
  });
}

/**
 * Stored as SHA-256 of the code without case, spaces or dashes, as a person may type it: 50 random
 * bits tried against a login limiter need no slow hash.
 */
export function hashRecoveryCode(code: string): string {
  return hashSecretToken(code.toUpperCase().replace(/[\s-]/g, ''));
}
