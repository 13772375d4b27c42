import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { TENANCY_ERRORS } from '../../tenancy/tenancy.errors';
import { AUTH_ERRORS } from '../auth.errors';
import { SignupDto, SignupResultDto } from '../dto/signup.dto';
import { ClientOrigin, type RequestOrigin } from '../sessions/request-origin.decorator';
import { SignupService } from './signup.service';

@ApiTags('auth')
@Public()
@Controller('signup')
export class SignupController {
  constructor(private readonly signup: SignupService) {}

  @Post()
  @ApiOperation({
    summary:
      'Create a tenant and its owner; a welcome mail is queued. An email with an account elsewhere needs that account’s password',
  })
  @ApiCreatedResponse({ type: SignupResultDto })
  @ApiErrors(AUTH_ERRORS.INVALID_CREDENTIALS, TENANCY_ERRORS.SLUG_TAKEN, AUTH_ERRORS.PASSWORD_HASHING_BUSY)
  create(@Body() body: SignupDto, @ClientOrigin() origin: RequestOrigin): Promise<SignupResultDto> {
    return this.signup.signUp(body, origin);
  }
}
