import { Body, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresVerifiedEmail } from '../auth/email/requires-verified-email.decorator';
import { Roles } from '../common/access/access.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { BILLING_ERRORS } from './billing.errors';
import { BillingService } from './billing.service';
import { CheckoutDto, PortalDto, RedirectDto, SubscriptionDto } from './dto/billing.dto';
import { AllowedRedirectOriginsPipe } from './redirects/allowed-redirect-origins.pipe';

@ApiTags('billing')
@ApiErrors(BILLING_ERRORS.BILLING_NOT_CONFIGURED)
@TenantController('billing')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Get('subscription')
  @ApiOperation({ summary: "The tenant's plan and subscription as last received from Stripe" })
  @ApiOkResponse({ type: SubscriptionDto })
  subscription(): SubscriptionDto {
    return this.billing.subscription();
  }

  @Post('checkout')
  @Roles('owner', 'admin')
  @RequiresVerifiedEmail()
  @ApiOperation({ summary: 'Start a Stripe Checkout for a plan; answers its URL' })
  @ApiCreatedResponse({ type: RedirectDto })
  @ApiErrors(BILLING_ERRORS.UNKNOWN_PLAN)
  checkout(@Body(AllowedRedirectOriginsPipe) body: CheckoutDto): Promise<RedirectDto> {
    return this.billing.checkout(body);
  }

  @Post('portal')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: 'Open the Stripe customer portal; answers its URL' })
  @ApiCreatedResponse({ type: RedirectDto })
  @ApiErrors(BILLING_ERRORS.NO_BILLING_ACCOUNT)
  portal(@Body(AllowedRedirectOriginsPipe) body: PortalDto): Promise<RedirectDto> {
    return this.billing.portal(body);
  }
}
