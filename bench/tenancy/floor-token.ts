import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_ISSUER } from '../../src/auth/tokens/access-token.service';

/** The claims of an access token the floor server needs. */
export interface FloorClaims {
  sub: string;
  tid: string;
  sid: string;
}

const BEARER = /^Bearer ([^\s]+)$/i;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The access token check with nothing but node:crypto: HS256 signature, issuer and expiry, as the
 * API's JWT strategy checks them (the tenant and session checks are the caller's).
 */
export class FloorTokenVerifier {
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  verify(authorization: string | undefined, nowSeconds: number): FloorClaims | undefined {
    const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
    const parts = token?.split('.');
    if (parts?.length !== 3) return undefined;
    const [header, payload, signature] = parts;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (decodeJson(header)?.alg !== ACCESS_TOKEN_ALGORITHM) return undefined;
    const claims = decodeJson(payload);
    if (
      !claims ||
      claims.iss !== ACCESS_TOKEN_ISSUER ||
      typeof claims.exp !== 'number' ||
      claims.exp <= nowSeconds ||
      typeof claims.sub !== 'string' ||
      typeof claims.tid !== 'string' ||
      typeof claims.sid !== 'string'
    ) {
      return undefined;
    }
    return { sub: claims.sub, tid: claims.tid, sid: claims.sid };
  }
}
