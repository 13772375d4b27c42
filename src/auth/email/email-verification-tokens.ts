import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull, Not } from 'typeorm';
import { hashSecretToken, newSecretToken } from '../../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../../config';
import { EmailVerificationToken } from './email-verification-token.entity';

export interface EmailVerificationLink {
  /** The token itself, for the mail that carries it; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface AddressOfIdentity {
  identityId: string;
  /** The tenant whose mail carries the link, and the only one where it works. */
  tenantId: string;
  email: string;
}

/**
 * The links `POST /auth/email/verify` redeems, inside the caller's transaction. An identity has at
 * most one open link per purpose: a new one for its address replaces the older ones for it, and a new
 * change request replaces any change still pending.
 */
@Injectable()
export class EmailVerificationTokens {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** A link that verifies the identity's current address. */
  async issueForAddress(manager: EntityManager, address: AddressOfIdentity): Promise<EmailVerificationLink> {
    await this.revokeForAddress(manager, address.identityId, address.email);
    return this.insert(manager, address);
  }

  /** A link to `newEmail` that moves the identity there when used. */
  async issueForChange(
    manager: EntityManager,
    { currentEmail, ...newAddress }: AddressOfIdentity & { currentEmail: string },
  ): Promise<EmailVerificationLink> {
    await manager.update(
      EmailVerificationToken,
      { identityId: newAddress.identityId, email: Not(currentEmail), usedAt: IsNull() },
      { usedAt: new Date() },
    );
    return this.insert(manager, newAddress);
  }

  async revokeForAddress(manager: EntityManager, identityId: string, email: string): Promise<void> {
    await manager.update(
      EmailVerificationToken,
      { identityId, email, usedAt: IsNull() },
      { usedAt: new Date() },
    );
  }

  async revokeAll(manager: EntityManager, identityId: string): Promise<void> {
    await manager.update(EmailVerificationToken, { identityId, usedAt: IsNull() }, { usedAt: new Date() });
  }

  private async insert(
    manager: EntityManager,
    { identityId, tenantId, email }: AddressOfIdentity,
  ): Promise<EmailVerificationLink> {
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + this.config.auth.emailVerificationTtlHours * 3_600_000);
    await manager.insert(EmailVerificationToken, {
      identityId,
      tenantId,
      email,
      tokenHash: hashSecretToken(token),
      expiresAt,
      usedAt: null,
    });
    return { token, expiresAt };
  }
}
