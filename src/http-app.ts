import helmet from '@fastify/helmet';
import { LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { ClsMiddleware, ClsService } from 'nestjs-cls';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { toValidationException } from './common/errors/validation-errors';
import { acceptJsonBodiesOnly } from './common/http/json-body-parser';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { accessLogMiddleware } from './common/logging/access-log.middleware';
import { WellFormedStringsPipe } from './common/validation/well-formed-strings.pipe';
import type { AppConfig } from './config';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';
import { buildOpenApiDocument } from './openapi/openapi-document';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  config: AppConfig;
  database: DatabaseEndpoint;
  logger: LoggerService;
}

/** Builds the HTTP API; the caller listens. */
export async function createHttpApp({
  config,
  database,
  logger,
}: HttpAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, database }),
    createHttpAdapter(config),
    { ...HTTP_APP_CREATE_OPTIONS, logger },
  );
  await configureHttpApp(app, config);
  return app;
}

/** Options every API instance is created with (also by the e2e tests' testing module). */
export const HTTP_APP_CREATE_OPTIONS = { rawBody: true } as const;

/** The HTTP server under the API: fastify, with the proxy trust, body limit and keep-alive of the config. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.http.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
  });
}

/** The middleware, pipes, filter and docs of the API, in the order they must run. */
export async function configureHttpApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  // Node closes a connection whose request headers take longer; it must outlast the keep-alive wait.
  app.getHttpServer().headersTimeout = config.http.keepAliveTimeoutMs + 1000;
  // Nest middleware runs on Node's own request and response (fastify's middie), as on Express.
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
    // Upgrading requests to https would break Swagger UI's scripts on a plain-http development server.
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
  acceptJsonBodiesOnly(app);

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
  app.useGlobalFilters(new AllExceptionsFilter(app.get(ClsService), app.getHttpAdapter()));
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
