import type { HttpStatus } from '@nestjs/common';

/** A client-facing error: its stable UPPER_SNAKE code, the HTTP status it comes with, what it means. */
export class ErrorCode<Code extends string = string> {
  constructor(
    readonly code: Code,
    readonly status: HttpStatus,
    readonly meaning: string,
  ) {}
}

export interface ErrorCodeDefinition {
  status: HttpStatus;
  /** One sentence for the error-code table and the OpenAPI document. */
  meaning: string;
}

/**
 * A feature's error codes, declared in its `*.errors.ts` file, which is where the error-code table
 * (docs/error-codes.md) finds them: `defineErrorCodes({ SLUG_TAKEN: { status: 409, meaning: '…' } })`.
 */
export function defineErrorCodes<const Definitions extends Record<string, ErrorCodeDefinition>>(
  definitions: Definitions,
): { readonly [Code in keyof Definitions & string]: ErrorCode<Code> } {
  return Object.fromEntries(
    Object.entries(definitions).map(([code, { status, meaning }]) => [
      code,
      new ErrorCode(code, status, meaning),
    ]),
  ) as { readonly [Code in keyof Definitions & string]: ErrorCode<Code> };
}
