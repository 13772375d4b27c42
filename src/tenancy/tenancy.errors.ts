import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';

export class TenantRequiredException extends AppException {
  constructor() {
    super(
      HttpStatus.BAD_REQUEST,
      'TENANT_REQUIRED',
      'This route needs a tenant: send X-Tenant or use its subdomain',
    );
  }
}

export class TenantNotFoundException extends AppException {
  constructor(slug: string) {
    super(HttpStatus.NOT_FOUND, 'TENANT_NOT_FOUND', `No tenant "${slug}"`);
  }
}

export class TenantSuspendedException extends AppException {
  constructor(slug: string) {
    super(HttpStatus.FORBIDDEN, 'TENANT_SUSPENDED', `Tenant "${slug}" is suspended`);
  }
}

export class SlugTakenException extends AppException {
  constructor(slug: string) {
    super(HttpStatus.CONFLICT, 'SLUG_TAKEN', `The slug "${slug}" is taken`);
  }
}

/** Tenant data was reached outside a tenant: a programming error, never the client's. */
export class MissingTenantContextError extends Error {
  constructor() {
    super('No tenant in the current context: tenant data can only be reached inside a tenant request or job');
    this.name = 'MissingTenantContextError';
  }
}
