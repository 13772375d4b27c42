import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { PlansModule } from '../billing/plans/plans.module';
import { REDIS_CLIENT, RedisModule } from '../common/redis/redis.module';
import { APP_CONFIG, type AppConfig } from '../config';
import { MailOutboxModule } from '../mail/outbox/mail-outbox.module';
import { MembersModule } from '../members/members.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EmailChangeController } from './email/email-change.controller';
import { EmailChangeService } from './email/email-change.service';
import { EmailVerificationController } from './email/email-verification.controller';
import { EmailVerificationService } from './email/email-verification.service';
import { EmailVerificationToken } from './email/email-verification-token.entity';
import { EmailVerificationTokens } from './email/email-verification-tokens';
import { VerifiedEmailGuard } from './email/verified-email.guard';
import { VerifiedEmails } from './email/verified-emails';
import { AccessTokenGuard } from './guards/access-token.guard';
import { AuthenticationGuard } from './guards/authentication.guard';
import { JwtStrategy } from './guards/jwt.strategy';
import { RolesGuard } from './guards/roles.guard';
import { IdentityClaims } from './identity-claims';
import { InvitationAcceptanceController } from './invitation-acceptance.controller';
import { InvitationAcceptanceService } from './invitation-acceptance.service';
import { LOGIN_FAILURE_COUNTER, LoginAttemptLimiter } from './login/login-attempt-limiter';
import { MemoryLoginFailureCounter, RedisLoginFailureCounter } from './login/login-failure-counter';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PasswordHashPool } from './passwords/password-hash-pool';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordResetService } from './passwords/password-reset.service';
import { PasswordResetTokens } from './passwords/password-reset-tokens';
import { PasswordResetToken } from './password-reset-token.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './sessions/session.entity';
import { SessionService } from './sessions/session.service';
import { SessionsController } from './sessions/sessions.controller';
import { SignupController } from './signup/signup.controller';
import { SignupService } from './signup/signup.service';
import { MfaChallenge } from './two-factor/mfa-challenge.entity';
import { MfaChallenges } from './two-factor/mfa-challenges';
import { SecondFactorEnrolmentGuard } from './two-factor/second-factor-enrolment.guard';
import { SecondFactors } from './two-factor/second-factors';
import { TenantSecurityController } from './two-factor/tenant-security.controller';
import { TenantSecurityService } from './two-factor/tenant-security.service';
import { TotpFactor } from './two-factor/totp-factor.entity';
import { TotpRecoveryCode } from './two-factor/totp-recovery-code.entity';
import { TotpSecretCipher } from './two-factor/totp-secret-cipher';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { TwoFactorService } from './two-factor/two-factor.service';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_ISSUER,
  AccessTokenService,
} from './tokens/access-token.service';
import { jwtKeyFor } from './tokens/jwt-secret';
import { RefreshTokenService } from './tokens/refresh-token.service';

@Module({
  imports: [
    ApiKeysModule,
    AuditModule,
    BillingModule,
    MailOutboxModule,
    MembersModule,
    PlansModule,
    RedisModule,
    PassportModule,
    TypeOrmModule.forFeature([
      Session,
      RefreshToken,
      PasswordResetToken,
      EmailVerificationToken,
      TotpFactor,
      TotpRecoveryCode,
      MfaChallenge,
    ]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: jwtKeyFor(config),
        signOptions: {
          algorithm: ACCESS_TOKEN_ALGORITHM,
          issuer: ACCESS_TOKEN_ISSUER,
          expiresIn: config.auth.accessTokenTtlSeconds,
        },
      }),
    }),
  ],
  controllers: [
    AuthController,
    SignupController,
    InvitationAcceptanceController,
    MeController,
    SessionsController,
    EmailVerificationController,
    EmailChangeController,
    TwoFactorController,
    TenantSecurityController,
  ],
  providers: [
    AuthService,
    SignupService,
    InvitationAcceptanceService,
    IdentityClaims,
    MeService,
    PasswordHashPool,
    PasswordHasher,
    PasswordResetService,
    PasswordResetTokens,
    AccessTokenService,
    RefreshTokenService,
    SessionService,
    EmailVerificationTokens,
    EmailVerificationService,
    EmailChangeService,
    VerifiedEmails,
    LoginAttemptLimiter,
    JwtStrategy,
    TotpSecretCipher,
    SecondFactors,
    MfaChallenges,
    TwoFactorService,
    TenantSecurityService,
    {
      provide: LOGIN_FAILURE_COUNTER,
      inject: [REDIS_CLIENT],
      useFactory: (redis: Redis | null) =>
        redis ? new RedisLoginFailureCounter(redis) : new MemoryLoginFailureCounter(),
    },
    // Registered as global guards, in order, by AppModule.
    AuthenticationGuard,
    AccessTokenGuard,
    SecondFactorEnrolmentGuard,
    RolesGuard,
    VerifiedEmailGuard,
  ],
  exports: [
    ApiKeysModule,
    AuthenticationGuard,
    AccessTokenGuard,
    SecondFactorEnrolmentGuard,
    RolesGuard,
    VerifiedEmailGuard,
  ],
})
export class AuthModule {}
