import { Body, Delete, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { AUTH_ERRORS } from '../auth.errors';
import { ClientOrigin, type RequestOrigin } from '../sessions/request-origin.decorator';
import { AllowedWithoutSecondFactor } from './allowed-without-second-factor.decorator';
import {
  proofOf,
  RecoveryCodesDto,
  SecondFactorProofDto,
  TotpCodeDto,
  TotpEnrolmentDto,
} from './dto/two-factor.dto';
import { TWO_FACTOR_ERRORS } from './two-factor.errors';
import { TwoFactorService } from './two-factor.service';

@ApiTags('auth')
@TenantController('me/2fa/totp')
@AllowedWithoutSecondFactor()
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post()
  @ApiOperation({
    summary:
      'Start two-factor sign-in: a new authenticator secret, pending until confirmed; asking again replaces a pending one',
  })
  @ApiCreatedResponse({ type: TotpEnrolmentDto })
  @ApiErrors(TWO_FACTOR_ERRORS.TWO_FACTOR_ALREADY_ENABLED)
  enrol(@CurrentUser() user: AuthenticatedUser): Promise<TotpEnrolmentDto> {
    return this.twoFactor.enrol(user);
  }

  @Post('confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Confirm the pending secret with a code of the app: two-factor sign-in is on, in every tenant of the person; the recovery codes are shown this once',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(
    TWO_FACTOR_ERRORS.INVALID_CODE,
    TWO_FACTOR_ERRORS.TWO_FACTOR_NOT_PENDING,
    TWO_FACTOR_ERRORS.TWO_FACTOR_ALREADY_ENABLED,
  )
  confirm(@CurrentUser() user: AuthenticatedUser, @Body() body: TotpCodeDto): Promise<RecoveryCodesDto> {
    return this.twoFactor.confirm(user, body.code);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Turn two-factor sign-in off with a code of the app or a recovery code; wrong ones count as failed sign-ins',
  })
  @ApiNoContentResponse()
  @ApiErrors(
    TWO_FACTOR_ERRORS.INVALID_CODE,
    TWO_FACTOR_ERRORS.TWO_FACTOR_NOT_ENABLED,
    AUTH_ERRORS.TOO_MANY_LOGIN_ATTEMPTS,
  )
  disable(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: SecondFactorProofDto,
    @ClientOrigin() origin: RequestOrigin,
  ): Promise<void> {
    return this.twoFactor.disable(user, proofOf(body), origin);
  }
}
