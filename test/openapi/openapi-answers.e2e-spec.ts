import { randomUUID } from 'node:crypto';
import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { buildStandaloneOpenApiDocument } from '../../src/openapi/standalone-document';
import { randomIpv4 } from '../rate-limit/rate-limit-support';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface DocumentedOperation {
  name: string;
  method: string;
  path: string;
  operation: OperationObject;
}

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
}

function operationsOf(document: OpenAPIObject): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ name: `${method.toUpperCase()} ${path}`, method, path, operation }] : [];
    }),
  );
}

function schemesOf(operation: OperationObject): string[][] {
  return (operation.security ?? []).map((requirement) => Object.keys(requirement).sort());
}

/** The error codes an operation declares for a status: the `code` enum of that response's schema. */
function declaredCodes(operation: OperationObject, status: number): string[] {
  const response: ResponseObject | ReferenceObject | undefined = operation.responses[String(status)];
  if (!response || '$ref' in response) return [];
  const schema = response.content?.['application/json']?.schema as SchemaObject | undefined;
  const parts = [schema, ...(schema?.allOf ?? [])] as (SchemaObject | undefined)[];
  return parts.flatMap((part) => {
    const code = part?.properties?.code as SchemaObject | undefined;
    return (code?.enum ?? []) as string[];
  });
}

const declaresBearer = (operation: OperationObject) =>
  schemesOf(operation).length > 0 && schemesOf(operation).every((schemes) => schemes.includes('bearer'));
const declaresTenant = (operation: OperationObject) =>
  schemesOf(operation).length > 0 && schemesOf(operation).every((schemes) => schemes.includes('tenant'));

/**
 * The document against the running app: for every documented operation, what it declares about
 * tenants, tokens and rate limits is what the app does, and every answer it gives there is one it
 * declares (status, and code among the codes of that status). Each operation is called from a client
 * address of its own, with one anonymous request per address and route a minute, so its second
 * anonymous call meets the per-IP limit exactly where the document says there is one.
 */
describe('the OpenAPI document declares what the API answers', () => {
  let testApp: TestApp;
  let document: OpenAPIObject;
  let account: SignedUpAccount;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '1', TRUST_PROXY: '1' },
    });
    account = await signUp(testApp.url, {}, { 'X-Forwarded-For': randomIpv4() });
    document = (await (await fetch(`${testApp.url}/docs-json`)).json()) as OpenAPIObject;
  });
  afterAll(() => testApp?.close());

  async function call(
    { method, path, operation }: DocumentedOperation,
    { tenant, clientIp }: { tenant: boolean; clientIp: string },
  ): Promise<Answer> {
    const url = `${testApp.url}${path.replace(/\{[^}]+\}/g, () => randomUUID())}`;
    const headers: Record<string, string> = { 'X-Forwarded-For': clientIp };
    if (tenant) headers['X-Tenant'] = account.tenant.slug;
    if (operation.requestBody) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: operation.requestBody ? '{}' : undefined,
    });
    const body = (await response.json().catch(() => ({}))) as { code?: string };
    return { status: response.status, code: body.code, retryAfter: response.headers.get('retry-after') };
  }

  function expectDeclared(entry: DocumentedOperation, answer: Answer): void {
    const declared = Object.keys(entry.operation.responses);
    expect({ operation: entry.name, status: answer.status, declared }).toEqual({
      operation: entry.name,
      status: answer.status,
      declared: expect.arrayContaining([String(answer.status)]),
    });
    if (answer.status >= 400) {
      const codes = declaredCodes(entry.operation, answer.status);
      expect({ operation: entry.name, code: answer.code, codes }).toEqual({
        operation: entry.name,
        code: answer.code,
        codes: expect.arrayContaining([answer.code]),
      });
    }
  }

  it('is the document `npm run lint:openapi` builds without a server', async () => {
    expect(await buildStandaloneOpenApiDocument(testApp.config)).toEqual(document);
  });

  it('gives every operation a security requirement: bearer and tenant, tenant only, or none', () => {
    const allowed = [['bearer', 'tenant'], ['tenant'], []].map((schemes) => JSON.stringify(schemes));
    for (const { name, operation } of operationsOf(document)) {
      expect({ name, security: operation.security }).toEqual({ name, security: expect.any(Array) });
      const requirements = schemesOf(operation).map((schemes) => JSON.stringify(schemes));
      for (const requirement of requirements.length === 0 ? ['[]'] : requirements) {
        expect({ name, allowed }).toEqual({ name, allowed: expect.arrayContaining([requirement]) });
      }
    }
  });

  it('declares the tenant answers on tenant routes, 401 on authenticated ones, Retry-After on 429', () => {
    for (const { name, operation } of operationsOf(document)) {
      const declares = (status: number) => ({ name, status, codes: declaredCodes(operation, status) });
      if (declaresTenant(operation)) {
        expect(declares(400).codes).toContain('TENANT_REQUIRED');
        expect(declares(403).codes).toContain('TENANT_SUSPENDED');
        expect(declares(404).codes).toContain('TENANT_NOT_FOUND');
      }
      // A route that asks for the password again (POST /me/email) also answers INVALID_CREDENTIALS.
      if (declaresBearer(operation))
        expect(declares(401)).toMatchObject({ codes: expect.arrayContaining(['UNAUTHORIZED']) });
      const tooMany = operation.responses['429'] as ResponseObject | undefined;
      if (tooMany)
        expect({ name, headers: Object.keys(tooMany.headers ?? {}) }).toEqual({
          name,
          headers: expect.arrayContaining(['Retry-After']),
        });
    }
  });

  it('answers TENANT_REQUIRED exactly where the tenant is declared, 401 exactly where a token is, 429 where a limit is', async () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(20);
    for (const entry of operations) {
      const tenant = declaresTenant(entry.operation);
      if (tenant) {
        const withoutTenant = await call(entry, { tenant: false, clientIp: randomIpv4() });
        expect({ operation: entry.name, code: withoutTenant.code }).toEqual({
          operation: entry.name,
          code: 'TENANT_REQUIRED',
        });
      }

      const clientIp = randomIpv4();
      const anonymous = await call(entry, { tenant, clientIp });
      expectDeclared(entry, anonymous);
      expect({ operation: entry.name, unauthorized: anonymous.code === 'UNAUTHORIZED' }).toEqual({
        operation: entry.name,
        unauthorized: declaresBearer(entry.operation),
      });

      const again = await call(entry, { tenant, clientIp });
      expectDeclared(entry, again);
      const limited = declaredCodes(entry.operation, 429).includes('RATE_LIMITED');
      expect({ operation: entry.name, rateLimited: again.code === 'RATE_LIMITED' }).toEqual({
        operation: entry.name,
        rateLimited: limited,
      });
      if (limited) expect(Number(again.retryAfter)).toBeGreaterThan(0);
    }
  });
});
