import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export const EXAMPLE_REQUEST_ID = '5b7c1f0e-8f0e-4c59-9a57-1a3e5f3c2d10';

/** One invalid field of a VALIDATION_FAILED answer. */
export class FieldErrorDto {
  @ApiProperty({ example: 'name', description: 'Its path: `name`, `items.0.name`' })
  field!: string;

  @ApiProperty({ example: 'name must be shorter than or equal to 200 characters' })
  message!: string;
}

/** The error body, as documented in the OpenAPI document. */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({
    example: 'VALIDATION_FAILED',
    pattern: '^[A-Z][A-Z0-9_]*$',
    description: 'Stable UPPER_SNAKE identifier; the table of codes is docs/error-codes.md',
  })
  code!: string;

  @ApiProperty({ example: 'The request is not valid', description: 'For people; may change' })
  message!: string;

  @ApiPropertyOptional({
    description: 'The invalid fields of VALIDATION_FAILED; an object for the others that have details',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldErrorDto[] | Record<string, unknown>;

  @ApiProperty({
    example: EXAMPLE_REQUEST_ID,
    description: 'The X-Request-Id of the response: quote it when reporting a problem',
  })
  requestId!: string;
}
