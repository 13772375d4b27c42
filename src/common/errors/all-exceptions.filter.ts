import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  type HttpServer,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { MiddlewareRequest } from '../http/middleware-request';
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

/** A route's request and reply, or Node's own when a middleware failed. */
type FailedRequest = FastifyRequest | MiddlewareRequest;
type FailedResponse = FastifyReply | ServerResponse;

/** Maps every error to the one error body of the API; 500s are logged and show no internals. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(
    private readonly cls: ClsService,
    private readonly httpAdapter: HttpServer,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<FailedResponse>();
    const request = http.getRequest<FailedRequest>();
    const body: ErrorBody = { ...this.toBody(exception, request) };
    const requestId = this.cls.isActive() ? this.cls.getId() : undefined;
    if (requestId) body.requestId = requestId;

    const raw = 'raw' in response ? response.raw : response;
    if (raw.headersSent) {
      raw.end();
      return;
    }
    // Set on Node's response, where the request id already is; fastify's reply merges them on send.
    if (exception instanceof AppException) {
      for (const [name, value] of Object.entries(exception.headers)) raw.setHeader(name, value);
    }
    this.httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown, request: FailedRequest): Omit<ErrorBody, 'requestId'> {
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

  private logUnexpected(exception: unknown, request: FailedRequest): void {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    const url = request.originalUrl ?? request.url;
    this.logger.error(`${request.method} ${url} failed: ${error.message}`, error.stack);
  }
}
