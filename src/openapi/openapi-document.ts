import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBodyDto, FieldErrorDto } from '../common/errors/error-body.dto';
import { TENANT_HEADER } from '../tenancy/tenant-resolution.middleware';
import { RESPONSE_HEADERS } from './response-headers';
import { BEARER_SCHEME, declareRouteAnswers, TENANT_SCHEME } from './route-answers';
import { operationIdOf, routeFactsByOperationId } from './route-facts';

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'] as const;

const DESCRIPTION = [
  'Multi-tenant SaaS backend: tenants and their members, sign-in and sessions, plans and billing.',
  '',
  `- **Tenant**: a tenant route takes the tenant from its subdomain of APP_DOMAIN, else from \`${TENANT_HEADER}: <slug>\`.`,
  '- **Authentication**: `Authorization: Bearer <accessToken>`, from signup, login or an accepted invitation.',
  '- **Errors**: `{statusCode, code, message, details?, requestId}`; every code is in docs/error-codes.md.',
  "- **Rate limits**: a signed-in user spends the tenant's requests per minute (`X-RateLimit-*` headers),",
  '  anyone else the client IP’s per route; a 429 carries `Retry-After`.',
].join('\n');

function documentConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('SaaS API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This server')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The access token of a signed-in member, for the tenant it was issued by',
      },
      BEARER_SCHEME,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: TENANT_HEADER,
        description:
          'The tenant slug; on a tenant subdomain of APP_DOMAIN the host gives it and the header can be left out',
      },
      TENANT_SCHEME,
    )
    .build();
}

function operationsOf(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((item) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [item[method]] : [])),
  );
}

/**
 * The OpenAPI document of the app's routes, with every operation's security and error answers
 * declared from what the pipeline does with its route (tenant resolution, authentication, rate
 * limits) and the codes its decorators name.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, documentConfig(), {
    operationIdFactory: operationIdOf,
    extraModels: [ErrorBodyDto, FieldErrorDto],
  });
  const facts = routeFactsByOperationId(app);
  for (const operation of operationsOf(document)) {
    const routeFacts = operation.operationId ? facts.get(operation.operationId) : undefined;
    if (!routeFacts) throw new Error(`No route found for the OpenAPI operation ${operation.operationId}`);
    declareRouteAnswers(operation, routeFacts);
  }
  document.components = { ...document.components, headers: RESPONSE_HEADERS };
  return document;
}
