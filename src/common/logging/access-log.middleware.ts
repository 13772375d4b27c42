import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { MiddlewareRequest } from '../http/middleware-request';

const logger = new Logger('HTTP');

/** One line per request, written when the response has been sent: method, path, status, duration. */
export function accessLogMiddleware(
  request: MiddlewareRequest,
  response: ServerResponse,
  next: () => void,
): void {
  const startedAt = process.hrtime.bigint();
  const path = request.originalUrl ?? request.url;
  response.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    logger.log({
      message: `${request.method} ${path} ${response.statusCode} ${durationMs.toFixed(1)}ms`,
      method: request.method,
      path,
      status: response.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
    });
  });
  next();
}
