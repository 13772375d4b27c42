import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectConfig, type AppConfig } from '../../config';
import { serverKeyFor } from '../tokens/jwt-secret';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts TOTP secrets at rest (AES-256-GCM, the identity id as associated data, so a ciphertext
 * copied to another identity does not decrypt): the database alone does not give a secret away. The
 * key is HKDF-SHA256 of TOTP_ENCRYPTION_KEY, or of the JWT secret when that is unset.
 */
@Injectable()
export class TotpSecretCipher {
  private readonly key: Buffer;

  constructor(@InjectConfig() config: AppConfig) {
    this.key = serverKeyFor(config, config.auth.totpEncryptionKey, 'totp-secret-encryption');
  }

  encrypt(secret: string, identityId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(identityId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** Throws when the ciphertext was not made with this key for this identity. */
  decrypt(ciphertext: string, identityId: string): string {
    const [version, iv, sealed] = ciphertext.split('.');
    if (version !== VERSION || !iv || !sealed) throw new Error('Not a TOTP secret ciphertext');
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(identityId))
      .setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}
