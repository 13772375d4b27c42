import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config';
import { configureHttpApp, createHttpAdapter, HTTP_APP_CREATE_OPTIONS } from '../http-app';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The document the API serves at /docs-json, built without a database, a broker or a server: Nest's
 * preview mode wires the modules and routes without instantiating any provider.
 */
export async function buildStandaloneOpenApiDocument(config: AppConfig): Promise<OpenAPIObject> {
  const { host = '127.0.0.1', port, user, password, name } = config.database;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, database: { host, port, user, password, database: name } }),
    createHttpAdapter(config),
    { ...HTTP_APP_CREATE_OPTIONS, preview: true, logger: false },
  );
  try {
    await configureHttpApp(app, config);
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
