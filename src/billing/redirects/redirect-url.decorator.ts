import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUrl, MaxLength } from 'class-validator';

const REDIRECT_URL_FIELDS = Symbol('REDIRECT_URL_FIELDS');

/**
 * An optional http(s) URL that Stripe sends the customer's browser to. AllowedRedirectOriginsPipe
 * then refuses it unless it is on APP_URL's origin or one of BILLING_REDIRECT_ORIGINS.
 */
export function RedirectUrl(description: string): PropertyDecorator {
  const markAsRedirect: PropertyDecorator = (target, property) => {
    const fields = redirectUrlFields(target.constructor);
    Reflect.defineMetadata(REDIRECT_URL_FIELDS, [...fields, String(property)], target.constructor);
  };
  return applyDecorators(
    ApiPropertyOptional({
      description: `${description}; on APP_URL's origin or one of BILLING_REDIRECT_ORIGINS`,
      format: 'uri',
      maxLength: 2000,
    }),
    IsOptional(),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }),
    MaxLength(2000),
    markAsRedirect,
  );
}

/** The properties of a DTO class marked with @RedirectUrl(). */
export function redirectUrlFields(type: object): string[] {
  return (Reflect.getMetadata(REDIRECT_URL_FIELDS, type) as string[] | undefined) ?? [];
}
