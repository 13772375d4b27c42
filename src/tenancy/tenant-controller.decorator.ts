import { applyDecorators, Controller, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/error-body.dto';
import { TENANT_HEADER } from './tenant-resolution.middleware';

export const TENANT_ROUTES = Symbol('TENANT_ROUTES');

/**
 * A controller whose routes need a tenant: the tenant is resolved before any guard or handler runs
 * (TenancyModule applies the resolution middleware to every controller marked this way).
 */
export function TenantController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    SetMetadata(TENANT_ROUTES, true),
    ApiHeader({
      name: TENANT_HEADER,
      required: false,
      description: 'Tenant slug; not needed on the tenant subdomain of APP_DOMAIN',
    }),
    ApiErrors([400, 'TENANT_REQUIRED'], [403, 'TENANT_SUSPENDED'], [404, 'TENANT_NOT_FOUND']),
  );
}
