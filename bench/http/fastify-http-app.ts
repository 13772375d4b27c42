import helmet from '@fastify/helmet';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerResponse } from 'node:http';
import { ClsMiddleware, ClsService } from 'nestjs-cls';
import { AppModule } from '../../src/app.module';
import { AllExceptionsFilter } from '../../src/common/errors/all-exceptions.filter';
import { toValidationException } from '../../src/common/errors/validation-errors';
import { REQUEST_ID_HEADER, requestIdFor } from '../../src/common/http/request-id';
import { accessLogMiddleware } from '../../src/common/logging/access-log.middleware';
import { WellFormedStringsPipe } from '../../src/common/validation/well-formed-strings.pipe';
import { API_PREFIX, type HttpAppOptions } from '../../src/http-app';

/** Express's `1mb`, which fastify takes in bytes. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A prototype of `createHttpApp` on @nestjs/platform-fastify, for measuring the adapter alone: the
 * same modules, middleware order, helmet options, CORS, pipes, filter and guards. Enough for the GET
 * routes the bench sends; not the product. What it leaves out, and why:
 * - Swagger UI (needs @fastify/static); no measured route is under /docs.
 * - body-parser error translation: fastify rejects bodies in its content parsers, before Nest's
 *   filter, with its own FST_ERR_CTP_* codes.
 * - AllExceptionsFilter answers with Express's `response.status().json()`, so error responses do
 *   not work here; the measured route answers 200.
 */
export async function createFastifyHttpApp({
  config,
  database,
  logger,
}: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.http.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, database }),
    adapter,
    { rawBody: true, logger },
  );
  const server = app.getHttpServer();
  server.headersTimeout = config.http.keepAliveTimeoutMs + 1000;

  // Middie hands Nest middleware Node's own request and response, as Express does.
  app.use(
    new ClsMiddleware({
      generateId: true,
      idGenerator: requestIdFor,
      setup: (cls, _request, response: ServerResponse) =>
        void response.setHeader(REQUEST_ID_HEADER, cls.getId()),
    }).use,
  );
  app.use(accessLogMiddleware);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { upgradeInsecureRequests: config.env === 'production' ? [] : null },
    },
  });
  app.enableCors({
    origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins,
    exposedHeaders: [
      REQUEST_ID_HEADER,
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ],
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'dev/mail/:kind'] });
  app.useGlobalPipes(
    new WellFormedStringsPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: toValidationException,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(app.get(ClsService)));
  return app;
}
