import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClsService } from 'nestjs-cls';
import { AppException, ErrorBody } from './app.exception';
import { HTTP_ERRORS } from './common.errors';
import type { ErrorCode } from './error-code';

/** The code of an HTTP error that no feature raised itself (routing, parsing, framework). */
const frameworkErrorByStatus: ReadonlyMap<number, ErrorCode> = new Map(
  Object.values(HTTP_ERRORS).map((error) => [error.status, error]),
);

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

/** Maps every error to the one error body of the API; 500s are logged and show no internals. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly cls: ClsService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body: ErrorBody = { ...this.toBody(exception, request) };
    const requestId = this.cls.isActive() ? this.cls.getId() : undefined;
    if (requestId) body.requestId = requestId;

    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof AppException) {
      for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): Omit<ErrorBody, 'requestId'> {
    if (exception instanceof AppException) {
      return {
        statusCode: exception.getStatus(),
        code: exception.code,
        message: exception.message,
        ...(exception.details === undefined ? {} : { details: exception.details }),
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      if (statusCode >= 500) this.logUnexpected(exception, request);
      const fallback = statusCode >= 500 ? HTTP_ERRORS.INTERNAL : HTTP_ERRORS.BAD_REQUEST;
      return {
        statusCode,
        code: (frameworkErrorByStatus.get(statusCode) ?? fallback).code,
        message: statusCode >= 500 ? 'Internal server error' : httpExceptionMessage(exception),
      };
    }
    this.logUnexpected(exception, request);
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: HTTP_ERRORS.INTERNAL.code,
      message: 'Internal server error',
    };
  }

  private logUnexpected(exception: unknown, request: Request): void {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`${request.method} ${request.originalUrl} failed: ${error.message}`, error.stack);
  }
}
