import type { HeaderObject, ReferenceObject } from '@nestjs/swagger';
import { EXAMPLE_REQUEST_ID } from '../common/errors/error-body.dto';
import { REQUEST_ID_HEADER } from '../common/http/request-id';

/** The headers responses carry, declared once in `components.headers`. */
export const RESPONSE_HEADERS = {
  [REQUEST_ID_HEADER]: {
    description: 'The id of the request: the one the client sent (if well-formed) or a new UUID',
    schema: { type: 'string', example: EXAMPLE_REQUEST_ID },
  },
  'X-RateLimit-Limit': {
    description: "Requests per minute of the tenant's plan",
    schema: { type: 'integer', minimum: 1, example: 60 },
  },
  'X-RateLimit-Remaining': {
    description: "What is left of the tenant's budget in the current one-minute window",
    schema: { type: 'integer', minimum: 0, example: 59 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends and the budget is whole again',
    schema: { type: 'integer', minimum: 0, example: 42 },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1, example: 30 },
  },
} satisfies Record<string, HeaderObject>;

export type HeaderName = keyof typeof RESPONSE_HEADERS;

export function headerRefs(...names: HeaderName[]): Record<string, ReferenceObject> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}
