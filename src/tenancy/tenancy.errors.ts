import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import { defineErrorCodes } from '../common/errors/error-code';

export const TENANCY_ERRORS = defineErrorCodes({
  TENANT_REQUIRED: {
    status: HttpStatus.BAD_REQUEST,
    meaning: 'The route needs a tenant: send X-Tenant, or call the tenant subdomain of APP_DOMAIN',
  },
  TENANT_NOT_FOUND: {
    status: HttpStatus.NOT_FOUND,
    meaning: 'No tenant has the slug given by X-Tenant or the subdomain',
  },
  TENANT_SUSPENDED: {
    status: HttpStatus.FORBIDDEN,
    meaning: 'The tenant is suspended: none of its routes answer until it is reactivated',
  },
  SLUG_TAKEN: {
    status: HttpStatus.CONFLICT,
    meaning: 'Another tenant has this slug',
  },
});

export class TenantRequiredException extends AppException {
  constructor() {
    super(TENANCY_ERRORS.TENANT_REQUIRED, 'This route needs a tenant: send X-Tenant or use its subdomain');
  }
}

export class TenantNotFoundException extends AppException {
  constructor(slug: string) {
    super(TENANCY_ERRORS.TENANT_NOT_FOUND, `No tenant "${slug}"`);
  }
}

export class TenantSuspendedException extends AppException {
  constructor(slug: string) {
    super(TENANCY_ERRORS.TENANT_SUSPENDED, `Tenant "${slug}" is suspended`);
  }
}

export class SlugTakenException extends AppException {
  constructor(slug: string) {
    super(TENANCY_ERRORS.SLUG_TAKEN, `The slug "${slug}" is taken`);
  }
}

/** Tenant data was reached outside a tenant: a programming error, never the client's. */
export class MissingTenantContextError extends Error {
  constructor() {
    super('No tenant in the current context: tenant data can only be reached inside a tenant request or job');
    this.name = 'MissingTenantContextError';
  }
}
