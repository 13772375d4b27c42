import { createHash, randomBytes } from 'node:crypto';

/** An opaque, URL-safe secret (refresh, invitation and reset tokens): 256 random bits. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as this digest; 256 random bits need no slow hash. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
