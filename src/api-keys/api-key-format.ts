import { randomBytes } from 'node:crypto';
import { newSecretToken } from '../common/access/secret-token';

/** What every API key starts with, so that it is recognised (by the guard, by secret scanners). */
export const API_KEY_PRODUCT_PREFIX = 'stk_';

const VISIBLE_PART_BYTES = 6;
const VISIBLE_PART = `[0-9a-f]{${VISIBLE_PART_BYTES * 2}}`;
// 32 bytes in base64url without padding are 43 characters, the last of them from a 4-bit alphabet.
const SECRET = '[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]';
const API_KEY_PATTERN = new RegExp(`^(${API_KEY_PRODUCT_PREFIX}${VISIBLE_PART})_(${SECRET})$`);

/** A key split in its two parts: `prefix` is shown and stored, `secret` only ever shown once. */
export interface ApiKeyParts {
  /** `stk_` and 12 random hex digits, unique in the tenant: how the key is listed and looked up. */
  prefix: string;
  /** 256 random bits, base64url. */
  secret: string;
}

export interface NewApiKey extends ApiKeyParts {
  /** `<prefix>_<secret>`, what a client sends as `Authorization: Bearer <key>`. */
  key: string;
}

export function newApiKey(): NewApiKey {
  const prefix = `${API_KEY_PRODUCT_PREFIX}${randomBytes(VISIBLE_PART_BYTES).toString('hex')}`;
  const secret = newSecretToken();
  return { prefix, secret, key: `${prefix}_${secret}` };
}

/** Whether a bearer token is meant as an API key (then it is never read as an access token). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PRODUCT_PREFIX);
}

/** The parts of a well-formed key; undefined for anything else. */
export function parseApiKey(token: string): ApiKeyParts | undefined {
  const match = API_KEY_PATTERN.exec(token);
  return match ? { prefix: match[1], secret: match[2] } : undefined;
}
