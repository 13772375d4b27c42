import type { INestApplication, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { isHandlerAllowedWithoutSecondFactor } from '../auth/two-factor/allowed-without-second-factor.decorator';
import { isPublicHandler } from '../common/access/access.decorators';
import { declaredErrorsOf } from '../common/errors/api-errors.decorator';
import type { ErrorCode } from '../common/errors/error-code';
import { isControllerExemptFromClientIpLimit } from '../rate-limit/rate-limit.throttlers';
import { isTenantController } from '../tenancy/tenant-controller.decorator';

/** What the pipeline does with a route, read from the metadata its middleware and guards read. */
export interface RouteFacts {
  /** A TenantController's route: the tenant is resolved first. */
  tenant: boolean;
  /** Not `@Public()`: the route needs an access token. */
  authenticated: boolean;
  /** Counted by a rate limit: the tenant's for a signed-in user, the client IP's for anyone else. */
  rateLimited: boolean;
  /** Closed to a member without a second factor where the tenant requires one. */
  needsSecondFactor: boolean;
  /** Its `@ApiErrors`, from the controller and the handler. */
  declaredErrors: ErrorCode[];
}

/** The operationId of a route in the document: `ProjectsController_list`. */
export const operationIdOf = (controllerKey: string, methodKey: string): string =>
  `${controllerKey}_${methodKey}`;

/** The facts of every route of the app, by operationId. */
export function routeFactsByOperationId(app: INestApplication): Map<string, RouteFacts> {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const facts = new Map<string, RouteFacts>();
  for (const wrapper of new DiscoveryService(app.get(ModulesContainer)).getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller) continue;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName] as (...args: never[]) => unknown;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const authenticated = !isPublicHandler(reflector, handler, controller);
      facts.set(operationIdOf(controller.name, methodName), {
        tenant: isTenantController(controller),
        authenticated,
        rateLimited: authenticated || !isControllerExemptFromClientIpLimit(controller),
        needsSecondFactor:
          authenticated &&
          isTenantController(controller) &&
          !isHandlerAllowedWithoutSecondFactor(reflector, handler, controller),
        declaredErrors: declaredErrorsOf(controller, handler),
      });
    }
  }
  return facts;
}
