import { LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Response } from 'express';
import helmet from 'helmet';
import { ClsMiddleware, ClsService } from 'nestjs-cls';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { toValidationException } from './common/errors/validation-errors';
import { accessLogMiddleware } from './common/logging/access-log.middleware';
import { translateBodyParserErrors } from './common/http/body-parser-errors';
import { REQUEST_ID_HEADER, requestIdFor } from './common/http/request-id';
import { WellFormedStringsPipe } from './common/validation/well-formed-strings.pipe';
import type { AppConfig } from './config';
import type { DatabaseEndpoint } from './database/embedded-postgres.launcher';
import { buildOpenApiDocument } from './openapi/openapi-document';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';

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
}: HttpAppOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, database }), {
    ...HTTP_APP_CREATE_OPTIONS,
    logger,
  });
  configureHttpApp(app, config);
  return app;
}

/** Options every API instance is created with (also by the e2e tests' testing module). */
export const HTTP_APP_CREATE_OPTIONS = { bodyParser: false, rawBody: true } as const;

/** The middleware, pipes, filter and docs of the API, in the order they must run. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  const server = app.getHttpServer();
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  // Node closes a connection whose request headers take longer; it must outlast the keep-alive wait.
  server.headersTimeout = config.http.keepAliveTimeoutMs + 1000;
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(
    new ClsMiddleware({
      generateId: true,
      idGenerator: requestIdFor,
      setup: (cls, _request, response: Response) => void response.setHeader(REQUEST_ID_HEADER, cls.getId()),
    }).use,
  );
  app.use(accessLogMiddleware);
  app.use(
    helmet({
      // Upgrading requests to https would break Swagger UI's scripts on a plain-http development server.
      contentSecurityPolicy: {
        directives: { upgradeInsecureRequests: config.env === 'production' ? [] : null },
      },
    }),
  );
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
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use(translateBodyParserErrors);

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
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
