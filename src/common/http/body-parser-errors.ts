import type { NextFunction, Request, Response } from 'express';
import { AppException } from '../errors/app.exception';
import { HTTP_ERRORS, REQUEST_ERRORS } from '../errors/common.errors';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as Partial<BodyParserError>).type === 'string' &&
    typeof (error as Partial<BodyParserError>).status === 'number'
  );
}

function toAppException(error: BodyParserError): AppException {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppException(REQUEST_ERRORS.MALFORMED_JSON, 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppException(
        HTTP_ERRORS.PAYLOAD_TOO_LARGE,
        'The request body is larger than the 1 MB limit',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppException(
        HTTP_ERRORS.UNSUPPORTED_MEDIA_TYPE,
        'The request body encoding is not supported',
      );
    default:
      return new AppException(HTTP_ERRORS.BAD_REQUEST, 'The request body could not be read');
  }
}

/** Express error middleware placed right after the body parsers: their errors become coded exceptions. */
export function translateBodyParserErrors(
  error: unknown,
  _request: Request,
  _response: Response,
  next: NextFunction,
): void {
  next(isBodyParserError(error) ? toAppException(error) : error);
}
