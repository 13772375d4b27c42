import { createSecretKey, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config';

const resolved = new WeakMap<AppConfig, string>();
const keys = new WeakMap<AppConfig, KeyObject>();

function localSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
      new Logger('Auth').warn(`JWT_SECRET is not set: generated one in ${file} for this machine`);
    } catch (error) {
      // Another process created it first; use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(file, 'utf8').trim();
  }
}

/**
 * The secret that signs access tokens: JWT_SECRET, or (where configuration allows it: development,
 * tests, and production on the embedded database) one generated once and kept in `.data/jwt-secret`,
 * so tokens survive restarts and no shared default secret exists.
 */
export function jwtSecretFor(config: AppConfig): string {
  const known = config.auth.jwtSecret ?? resolved.get(config);
  if (known) return known;
  const secret = localSecret(
    path.join(path.dirname(path.resolve(config.database.embeddedDataDir)), 'jwt-secret'),
  );
  resolved.set(config, secret);
  return secret;
}

/**
 * The secret as the HMAC key object that signs and verifies access tokens. Given a string instead,
 * jsonwebtoken first tries (and fails) to parse it as a PEM public or private key on every call.
 */
export function jwtKeyFor(config: AppConfig): KeyObject {
  let key = keys.get(config);
  if (!key) {
    key = createSecretKey(Buffer.from(jwtSecretFor(config), 'utf8'));
    keys.set(config, key);
  }
  return key;
}

/**
 * A 32-byte server key for one purpose (`info` of HKDF-SHA256): derived from the key configured for
 * that purpose, or from the JWT secret when none is, so one secret can serve them all apart.
 */
export function serverKeyFor(config: AppConfig, configured: string | undefined, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', configured ?? jwtSecretFor(config), '', purpose, 32));
}
