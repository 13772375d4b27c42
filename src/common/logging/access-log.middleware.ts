import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('HTTP');

/** One line per request, written when the response has been sent: method, path, status, duration. */
export function accessLogMiddleware(request: Request, response: Response, next: NextFunction): void {
  const startedAt = process.hrtime.bigint();
  response.on('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    logger.log({
      message: `${request.method} ${request.originalUrl} ${response.statusCode} ${durationMs.toFixed(1)}ms`,
      method: request.method,
      path: request.originalUrl,
      status: response.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
    });
  });
  next();
}
