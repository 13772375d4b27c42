import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';

const httpUrl = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CheckoutDto {
  @ApiProperty({ example: 'pro' })
  @IsString()
  @MaxLength(64)
  plan!: string;

  @ApiPropertyOptional({ description: 'Where Stripe sends the customer after paying; default under APP_URL' })
  @IsOptional()
  @IsUrl(httpUrl)
  @MaxLength(2000)
  successUrl?: string;

  @ApiPropertyOptional({ description: 'Where Stripe sends the customer on cancel; default under APP_URL' })
  @IsOptional()
  @IsUrl(httpUrl)
  @MaxLength(2000)
  cancelUrl?: string;
}

export class PortalDto {
  @ApiPropertyOptional({ description: 'Where the portal links back to; default under APP_URL' })
  @IsOptional()
  @IsUrl(httpUrl)
  @MaxLength(2000)
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
