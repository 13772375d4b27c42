import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { RedirectUrl } from '../redirects/redirect-url.decorator';

export class CheckoutDto {
  @ApiProperty({ example: 'pro', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  plan!: string;

  @RedirectUrl('Where Stripe sends the customer after paying; default: the billing page under APP_URL')
  successUrl?: string;

  @RedirectUrl('Where Stripe sends the customer on cancel; default: the billing page under APP_URL')
  cancelUrl?: string;
}

export class PortalDto {
  @RedirectUrl('Where the portal links back to; default: the billing page under APP_URL')
  returnUrl?: string;
}

export class RedirectDto {
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_…' })
  url!: string;
}

export class SubscriptionDto {
  @ApiProperty({ example: 'pro' })
  plan!: string;

  @ApiProperty({ nullable: true, type: String, example: 'active' })
  status!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  currentPeriodEnd!: string | null;

  @ApiProperty()
  cancelAtPeriodEnd!: boolean;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  trialEnd!: string | null;
}
