import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException, type FieldError } from '../../common/errors/app.exception';
import { InjectConfig, type AppConfig } from '../../config';
import { redirectUrlFields } from './redirect-url.decorator';

/**
 * Refuses a body whose @RedirectUrl() fields leave the allowed origins (APP_URL's and
 * BILLING_REDIRECT_ORIGINS), so Checkout and the portal cannot be used to send a customer from a
 * stripe.com page to any site. Origins are compared as the browser resolves the URL, so
 * `https://app.example.com@evil.test` is evil.test. Runs after the ValidationPipe: the URLs parse.
 */
@Injectable()
export class AllowedRedirectOriginsPipe implements PipeTransform {
  private readonly allowed: string[];

  constructor(@InjectConfig() config: AppConfig) {
    this.allowed = [...new Set([new URL(config.http.publicUrl).origin, ...config.billing.redirectOrigins])];
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!metadata.metatype || typeof value !== 'object' || value === null) return value;
    const problems: FieldError[] = [];
    for (const field of redirectUrlFields(metadata.metatype)) {
      const url = (value as Record<string, unknown>)[field];
      if (typeof url === 'string' && !this.allowed.includes(originOf(url))) {
        problems.push({
          field,
          message: `${field} must be on one of these origins: ${this.allowed.join(', ')}`,
        });
      }
    }
    if (problems.length > 0) throw new ValidationFailedException(problems);
    return value;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
