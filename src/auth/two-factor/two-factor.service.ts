import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../audit/audit-log';
import type { AuthenticatedUser } from '../../common/access/access.decorators';
import { MemberNotFoundException } from '../../members/members.errors';
import { MembersRepository } from '../../members/members.repository';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase } from '../../tenancy/tenant-database';
import { LoginAttemptLimiter } from '../login/login-attempt-limiter';
import type { RequestOrigin } from '../sessions/request-origin.decorator';
import type { RecoveryCodesDto, TotpEnrolmentDto } from './dto/two-factor.dto';
import { type SecondFactorProof, SecondFactors } from './second-factors';
import { otpauthUrl } from './totp';
import {
  InvalidCodeException,
  TwoFactorAlreadyEnabledException,
  TwoFactorNotEnabledException,
  TwoFactorNotPendingException,
} from './two-factor.errors';

/** Turning the signed-in person's second factor on and off; it is theirs in every tenant. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly members: MembersRepository,
    private readonly factors: SecondFactors,
    private readonly loginLimiter: LoginAttemptLimiter,
    private readonly audit: AuditLog,
  ) {}

  /** A new pending secret (replacing a pending one), named for the tenant and the person's email. */
  async enrol(user: AuthenticatedUser): Promise<TotpEnrolmentDto> {
    const secret = await this.factors.startEnrolment(user.identityId);
    if (!secret) throw new TwoFactorAlreadyEnabledException();
    const email = await this.emailOf(user);
    return { secret, otpauthUrl: otpauthUrl(secret, this.tenantContext.tenant.name, email) };
  }

  /** A first code turns the pending factor on and gives the recovery codes. */
  confirm(user: AuthenticatedUser, code: string): Promise<RecoveryCodesDto> {
    return this.tenantDatabase.transaction(async (manager) => {
      const factor = await this.factors.lock(manager, user.identityId);
      if (!factor) throw new TwoFactorNotPendingException();
      if (factor.confirmedAt) throw new TwoFactorAlreadyEnabledException();
      if (!(await this.factors.accept(manager, factor, { code }))) throw new InvalidCodeException();
      const recoveryCodes = await this.factors.confirm(manager, factor);
      await this.audit.record(manager, '2fa.enabled', `user:${user.id}`);
      return { recoveryCodes };
    });
  }

  /**
   * A code or a recovery code turns the factor off. Wrong ones count as failed logins of the person,
   * so a stolen access token cannot try codes until one fits.
   */
  async disable(user: AuthenticatedUser, proof: SecondFactorProof, origin: RequestOrigin): Promise<void> {
    const attempt = await this.loginLimiter.reserve({ email: await this.emailOf(user), ip: origin.ip });
    try {
      await this.tenantDatabase.transaction(async (manager) => {
        const factor = await this.factors.lock(manager, user.identityId);
        if (!factor?.confirmedAt) throw new TwoFactorNotEnabledException();
        const accepted = await this.factors.accept(manager, factor, proof);
        if (!accepted) throw new InvalidCodeException();
        if (accepted === 'recovery_code') {
          await this.audit.record(manager, '2fa.recovery_code_used', `user:${user.id}`);
        }
        await this.factors.remove(manager, user.identityId);
        await this.audit.record(manager, '2fa.disabled', `user:${user.id}`);
      });
    } catch (error) {
      if (!(error instanceof InvalidCodeException)) await attempt.withdraw();
      throw error;
    }
    await attempt.succeeded();
  }

  private async emailOf(user: AuthenticatedUser): Promise<string> {
    const member = await this.tenantDatabase.read((manager) => this.members.findById(manager, user.id));
    if (!member) throw new MemberNotFoundException();
    return member.email;
  }
}
