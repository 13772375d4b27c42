import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { currentApiKey, currentUser } from '../../common/access/access.decorators';
import { InjectConfig, type AppConfig } from '../../config';
import { EmailNotVerifiedException } from './email-verification.errors';
import { REQUIRES_VERIFIED_EMAIL } from './requires-verified-email.decorator';

/**
 * Global guard, after roles: on a `@RequiresVerifiedEmail()` route with REQUIRE_VERIFIED_EMAIL on, reads
 * the identity's verification as it is now (one indexed query on those routes only, nothing cached),
 * so an address verified a moment ago counts on the next request.
 */
@Injectable()
export class VerifiedEmailGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.auth.requireVerifiedEmail) return true;
    const required = this.reflector.getAllAndOverride<boolean | undefined>(REQUIRES_VERIFIED_EMAIL, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    // An API key has no email to verify, so it never passes for one.
    if (currentApiKey()) throw new EmailNotVerifiedException();
    const user = currentUser();
    // Without a user the route is public, or AccessTokenGuard has answered 401 already.
    if (!user) return true;
    const rows = await this.dataSource.query<{ verified: boolean }[]>(
      `SELECT email_verified_at IS NOT NULL AS verified FROM public.identities WHERE id = $1`,
      [user.identityId],
    );
    if (rows[0]?.verified) return true;
    throw new EmailNotVerifiedException();
  }
}
