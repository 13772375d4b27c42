import type { OperationObject, SecurityRequirementObject } from '@nestjs/swagger';
import { HTTP_ERRORS, REQUEST_ERRORS } from '../common/errors/common.errors';
import type { ErrorCode } from '../common/errors/error-code';
import { AUTH_ERRORS } from '../auth/auth.errors';
import { TWO_FACTOR_ERRORS } from '../auth/two-factor/two-factor.errors';
import { RATE_LIMIT_ERRORS } from '../rate-limit/rate-limit.errors';
import { errorResponses } from './error-responses';
import { type HeaderName, headerRefs } from './response-headers';
import type { RouteFacts } from './route-facts';

export const BEARER_SCHEME = 'bearer';
export const TENANT_SCHEME = 'tenant';
/** The credentials a route that needs one takes, each an alternative (an API key scheme joins them). */
const CREDENTIAL_SCHEMES = [BEARER_SCHEME];

/** 503s that say when to come back. */
const RETRY_AFTER_UNAVAILABLE: ErrorCode[] = [
  RATE_LIMIT_ERRORS.RATE_LIMIT_UNAVAILABLE,
  AUTH_ERRORS.PASSWORD_HASHING_BUSY,
];

const TENANT_BUDGET_HEADERS: HeaderName[] = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

export function securityOf({ tenant, authenticated }: RouteFacts): SecurityRequirementObject[] {
  const tenantScheme: SecurityRequirementObject = tenant ? { [TENANT_SCHEME]: [] } : {};
  if (!authenticated) return tenant ? [tenantScheme] : [];
  return CREDENTIAL_SCHEMES.map((scheme) => ({ [scheme]: [], ...tenantScheme }));
}

/** What a route can answer besides its own errors, from what the pipeline does with it. */
export function errorsOf(facts: RouteFacts, operation: OperationObject): ErrorCode[] {
  const takesQuery = (operation.parameters ?? []).some(
    (parameter) => 'in' in parameter && parameter.in === 'query',
  );
  return [
    ...(operation.requestBody
      ? [REQUEST_ERRORS.VALIDATION_FAILED, REQUEST_ERRORS.MALFORMED_JSON, HTTP_ERRORS.PAYLOAD_TOO_LARGE]
      : []),
    ...(takesQuery ? [REQUEST_ERRORS.VALIDATION_FAILED] : []),
    ...(facts.authenticated ? [HTTP_ERRORS.UNAUTHORIZED] : []),
    ...(facts.needsSecondFactor ? [TWO_FACTOR_ERRORS.MFA_ENROLMENT_REQUIRED] : []),
    ...(facts.rateLimited ? [HTTP_ERRORS.RATE_LIMITED, RATE_LIMIT_ERRORS.RATE_LIMIT_UNAVAILABLE] : []),
    ...facts.declaredErrors,
  ];
}

/** Fills in the operation's security, its error answers and the headers of its responses. */
export function declareRouteAnswers(operation: OperationObject, facts: RouteFacts): void {
  operation.security = securityOf(facts);
  const budgetHeaders = facts.authenticated ? TENANT_BUDGET_HEADERS : [];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (status.startsWith('2') && response && !('$ref' in response)) {
      response.headers = { ...response.headers, ...headerRefs('X-Request-Id', ...budgetHeaders) };
    }
  }
  const errors = errorResponses(errorsOf(facts, operation), (status, codes): HeaderName[] => {
    if (status === 429) return [...budgetHeaders, 'Retry-After'];
    return codes.some((code) => RETRY_AFTER_UNAVAILABLE.includes(code)) ? ['Retry-After'] : [];
  });
  Object.assign(operation.responses, errors);
}
