import { getSchemaPath, type ResponseObject } from '@nestjs/swagger';
import { ErrorBodyDto, EXAMPLE_REQUEST_ID } from '../common/errors/error-body.dto';
import type { ErrorCode } from '../common/errors/error-code';
import { type HeaderName, headerRefs } from './response-headers';

/**
 * One response per status for these errors: the error body with the status and the codes it can
 * carry as enums, the meaning of each code, and an example of each.
 */
export function errorResponses(
  errors: ErrorCode[],
  headersFor: (status: number, errors: ErrorCode[]) => HeaderName[],
): Record<string, ResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const error of errors) {
    const same = byStatus.get(error.status) ?? [];
    if (!same.some(({ code }) => code === error.code)) byStatus.set(error.status, [...same, error]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      errorResponse(status, codes, headersFor(status, codes)),
    ]),
  );
}

function errorResponse(status: number, errors: ErrorCode[], headers: HeaderName[]): ResponseObject {
  return {
    description: errors.map(({ code, meaning }) => `\`${code}\`: ${meaning}`).join('\n\n'),
    headers: headerRefs('X-Request-Id', ...headers),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: getSchemaPath(ErrorBodyDto) },
            {
              type: 'object',
              properties: {
                statusCode: { type: 'integer', enum: [status] },
                code: { type: 'string', enum: errors.map(({ code }) => code) },
              },
            },
          ],
        },
        examples: Object.fromEntries(
          errors.map(({ code, meaning }) => [
            code,
            {
              summary: code,
              value: { statusCode: status, code, message: meaning, requestId: EXAMPLE_REQUEST_ID },
            },
          ]),
        ),
      },
    },
  };
}
