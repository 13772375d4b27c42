import { applyDecorators, Controller, SetMetadata, type Type } from '@nestjs/common';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { TENANCY_ERRORS } from './tenancy.errors';

export const TENANT_ROUTES = Symbol('TENANT_ROUTES');

/**
 * A controller whose routes need a tenant: the tenant is resolved before any guard or handler runs
 * (TenancyModule applies the resolution middleware to every controller marked this way), and the
 * OpenAPI document gives each route the tenant security scheme and these answers.
 */
export function TenantController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    SetMetadata(TENANT_ROUTES, true),
    ApiErrors(
      TENANCY_ERRORS.TENANT_REQUIRED,
      TENANCY_ERRORS.TENANT_SUSPENDED,
      TENANCY_ERRORS.TENANT_NOT_FOUND,
    ),
  );
}

export const isTenantController = (controller: Type): boolean =>
  Reflect.getMetadata(TENANT_ROUTES, controller) === true;
