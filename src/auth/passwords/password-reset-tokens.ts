import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hashSecretToken, newSecretToken } from '../../common/access/secret-token';
import { PasswordResetToken } from '../password-reset-token.entity';

export interface NewPasswordResetToken {
  identityId: string;
  /** The tenant whose mail carries the token, and the only one that redeems it. */
  tenantId: string;
  expiresAt: Date;
}

/** Issues the tokens `POST /auth/password/reset` redeems; only their hash is stored. */
@Injectable()
export class PasswordResetTokens {
  /** Inside the caller's transaction; returns the token itself, for the mail that carries it. */
  async issue(
    manager: EntityManager,
    { identityId, tenantId, expiresAt }: NewPasswordResetToken,
  ): Promise<string> {
    const token = newSecretToken();
    await manager.insert(PasswordResetToken, {
      identityId,
      tenantId,
      tokenHash: hashSecretToken(token),
      expiresAt,
      usedAt: null,
    });
    return token;
  }
}
