import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Public } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { MEMBER_ERRORS } from '../members/members.errors';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { AUTH_ERRORS } from './auth.errors';
import { AuthService } from './auth.service';
import { PasswordResetService } from './passwords/password-reset.service';
import {
  ForgotPasswordDto,
  LoginDto,
  RefreshTokenDto,
  ResetPasswordDto,
  SessionDto,
  TokenPairDto,
} from './dto/auth.dto';
import { ClientOrigin, type RequestOrigin } from './sessions/request-origin.decorator';
import { AllowedWithoutSecondFactor } from './two-factor/allowed-without-second-factor.decorator';
import { MfaChallengeDto, MfaSignInDto } from './two-factor/dto/two-factor.dto';
import { TWO_FACTOR_ERRORS } from './two-factor/two-factor.errors';

@ApiTags('auth')
@ApiExtraModels(SessionDto, MfaChallengeDto)
@TenantController('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwordResets: PasswordResetService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Sign in with email and password, as a member of this tenant; with two-factor sign-in on, the answer is a challenge for POST /auth/login/mfa',
  })
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(SessionDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiErrors(
    AUTH_ERRORS.INVALID_CREDENTIALS,
    AUTH_ERRORS.TOO_MANY_LOGIN_ATTEMPTS,
    AUTH_ERRORS.PASSWORD_HASHING_BUSY,
  )
  login(
    @Body() body: LoginDto,
    @ClientOrigin() origin: RequestOrigin,
  ): Promise<SessionDto | MfaChallengeDto> {
    return this.auth.login(body, origin);
  }

  @Post('login/mfa')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Second step of a sign-in: the mfaToken with a code of the authenticator app or an unused recovery code',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrors(
    TWO_FACTOR_ERRORS.INVALID_MFA_CODE,
    TWO_FACTOR_ERRORS.INVALID_MFA_TOKEN,
    AUTH_ERRORS.TOO_MANY_LOGIN_ATTEMPTS,
  )
  completeLogin(@Body() body: MfaSignInDto, @ClientOrigin() origin: RequestOrigin): Promise<SessionDto> {
    return this.auth.completeSignIn(body, origin);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Trade a refresh token for new tokens; reusing a spent one revokes the session' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(AUTH_ERRORS.INVALID_REFRESH_TOKEN)
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @AllowedWithoutSecondFactor()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the session: its refresh and access tokens stop working at once',
  })
  @ApiNoContentResponse()
  logout(@CurrentUser() user: AuthenticatedUser, @Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(user, body.refreshToken);
  }

  @Post('logout-all')
  @AllowedWithoutSecondFactor()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Sign out everywhere in this tenant: every session of the user ends, access tokens included',
  })
  @ApiNoContentResponse()
  logoutAll(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    return this.auth.logoutEverywhere(user);
  }

  @Post('password/forgot')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Mail a password reset link when the user is a member here; always 202' })
  @ApiAcceptedResponse()
  forgot(@Body() body: ForgotPasswordDto): Promise<void> {
    return this.passwordResets.request(body.email);
  }

  @Post('password/reset')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Set the person’s one new password with a reset token asked here; every reset token and every session of theirs, in every tenant, ends',
  })
  @ApiNoContentResponse()
  @ApiErrors(MEMBER_ERRORS.INVALID_TOKEN, AUTH_ERRORS.PASSWORD_HASHING_BUSY)
  reset(@Body() body: ResetPasswordDto): Promise<void> {
    return this.passwordResets.reset(body);
  }
}
