import type { ErrorCode } from './error-code';

const DECLARED_ERRORS = Symbol('DECLARED_ERRORS');

/**
 * The error answers of a route, or of every route of a controller: `@ApiErrors(TENANCY_ERRORS.SLUG_TAKEN)`.
 * The OpenAPI document lists them with the answers every route of its kind has (see src/openapi).
 */
export function ApiErrors(...errors: ErrorCode[]): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const holder = (descriptor?.value as object | undefined) ?? target;
    const declared = (Reflect.getMetadata(DECLARED_ERRORS, holder) as ErrorCode[] | undefined) ?? [];
    Reflect.defineMetadata(DECLARED_ERRORS, [...declared, ...errors], holder);
  };
}

/** What `@ApiErrors` declared on the controller and on the handler. */
export function declaredErrorsOf(controller: object, handler: object): ErrorCode[] {
  const of = (holder: object) =>
    (Reflect.getMetadata(DECLARED_ERRORS, holder) as ErrorCode[] | undefined) ?? [];
  return [...of(controller), ...of(handler)];
}
