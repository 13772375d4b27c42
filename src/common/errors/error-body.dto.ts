import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

/** The error body, as documented in the OpenAPI document. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE identifier' })
  code!: string;

  @ApiProperty({ example: 'The request is not valid' })
  message!: string;

  @ApiPropertyOptional({
    description: 'A list of {field, message} for validation errors; an object for gating errors',
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details?: unknown;

  @ApiProperty({ example: '5b7c1f0e-8f0e-4c59-9a57-1a3e5f3c2d10' })
  requestId!: string;
}

/** Documents error responses: `ApiErrors([404, 'NOT_FOUND'], [409, 'SLUG_TAKEN'])`. */
export function ApiErrors(...errors: [status: number, code: string][]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  for (const [status, code] of errors) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({ status, type: ErrorBodyDto, description: codes.join(', ') }),
    ),
  );
}
