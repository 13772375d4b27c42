import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { serverKeyFor } from '../auth/tokens/jwt-secret';
import { InjectConfig, type AppConfig } from '../config';

/**
 * API keys are stored as HMAC-SHA256 of the whole key: 256 random bits need no slow hash, and the
 * server-side key means a copy of the database alone cannot check guesses. The key is HKDF-SHA256 of
 * API_KEY_HASH_KEY, or of the JWT secret when that is unset.
 */
@Injectable()
export class ApiKeyHasher {
  private readonly key: Buffer;

  constructor(@InjectConfig() config: AppConfig) {
    this.key = serverKeyFor(config, config.auth.apiKeyHashKey, 'api-key-hash');
  }

  hash(key: string): Buffer {
    return createHmac('sha256', this.key).update(key).digest();
  }

  /** In constant time, so a timing does not tell how much of a guess was right. */
  matches(key: string, stored: Buffer): boolean {
    const actual = this.hash(key);
    return stored.length === actual.length && timingSafeEqual(actual, stored);
  }
}
