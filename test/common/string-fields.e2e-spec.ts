import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject } from '@nestjs/swagger';
import { type BillingWorld, startBillingWorld } from '../billing/billing-support';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { type FieldPath, type JsonValue, OpenApiSamples, withField } from '../support/openapi-samples';

const APP_URL = 'https://app.example.com';
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** What no string field may take: in JSON as such, in a path or query percent-encoded (UTF-8, or WTF-8). */
const POISONS = [
  { name: 'a NUL byte', json: 'fuzz\u0000value', url: 'fuzz%00value' },
  { name: 'a lone surrogate', json: 'fuzz\ud800value', url: 'fuzz%ED%A0%80value' },
  { name: '100,000 characters', json: 'a'.repeat(100_000), url: 'a'.repeat(100_000) },
];

interface Call {
  method: string;
  path: Record<string, string>;
  query: Record<string, string>;
  body?: JsonValue;
}

interface Target {
  where: 'body' | 'path' | 'query';
  field: FieldPath;
}

/**
 * Every string field of every operation in the app's OpenAPI document (request body, path and query
 * parameters; headers are not parsed into DTOs) gets a NUL byte, a lone surrogate and 100,000
 * characters, the other fields valid. Only 4xx may come back; where the valid request succeeds, a 400
 * VALIDATION_FAILED naming the field. Routes are read from the document, so new ones are covered as
 * they are added. The Stripe webhook documents no body (it is verified raw) and so has no field here.
 */
describe('string fields of every documented route', () => {
  let world: BillingWorld;
  let account: SignedUpAccount;
  let document: OpenAPIObject;
  let samples: OpenApiSamples;

  beforeAll(async () => {
    // Billing configured (fake Stripe), or its routes answer 503 whatever they are sent.
    world = await startBillingWorld({ APP_URL });
    account = await signUp(world.testApp.url);
    document = (await (await fetch(`${world.testApp.url}/docs-json`)).json()) as OpenAPIObject;
    samples = new OpenApiSamples(document, APP_URL);
  });
  afterAll(() => world?.close());

  const parametersOf = (operation: OperationObject) =>
    (operation.parameters ?? [])
      .map((parameter) => ('$ref' in parameter ? undefined : parameter))
      .filter((parameter): parameter is ParameterObject => parameter !== undefined);

  const bodySchemaOf = (operation: OperationObject) => {
    const body = operation.requestBody as
      { content?: Record<string, { schema?: ReferenceObject }> } | undefined;
    return body?.content?.['application/json']?.schema;
  };

  /** The operation called with a valid value in every field it documents. */
  function validCall(method: string, operation: OperationObject): Call {
    const call: Call = { method, path: {}, query: {} };
    for (const parameter of parametersOf(operation)) {
      if ((parameter.in === 'path' || parameter.in === 'query') && parameter.schema) {
        const value = samples.sample(parameter.schema);
        call[parameter.in][parameter.name] =
          typeof value === 'object' ? JSON.stringify(value) : String(value);
      }
    }
    const bodySchema = bodySchemaOf(operation);
    if (bodySchema) call.body = samples.sample(bodySchema);
    return call;
  }

  function targetsOf(operation: OperationObject): Target[] {
    const targets: Target[] = parametersOf(operation)
      .filter(
        (parameter) =>
          (parameter.in === 'path' || parameter.in === 'query') &&
          parameter.schema &&
          samples.stringFields(parameter.schema).length > 0,
      )
      .map((parameter) => ({ where: parameter.in as 'path' | 'query', field: [parameter.name] }));
    const bodySchema = bodySchemaOf(operation);
    if (bodySchema) {
      targets.push(...samples.stringFields(bodySchema).map((field) => ({ where: 'body' as const, field })));
    }
    return targets;
  }

  function poisoned(call: Call, target: Target, poison: (typeof POISONS)[number]): Call {
    if (target.where === 'body')
      return { ...call, body: withField(call.body ?? {}, target.field, poison.json) };
    return { ...call, [target.where]: { ...call[target.where], [target.field[0]]: poison.url } };
  }

  /** A session of its own for every request: logout and the like end the session they are sent with. */
  async function freshAccessToken(): Promise<string> {
    const response = await fetch(`${world.testApp.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'X-Tenant': account.tenant.slug, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  /** Path and query values go out as given when they are poisons (already percent-encoded). */
  async function send(template: string, call: Call, raw?: Target) {
    const encode = (where: 'path' | 'query', name: string, value: string) =>
      raw?.where === where && raw.field[0] === name ? value : encodeURIComponent(value);
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => encode('path', name, call.path[name]));
    const query = Object.entries(call.query)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encode('query', name, value)}`)
      .join('&');
    const response = await fetch(`${world.testApp.url}${path}${query ? `?${query}` : ''}`, {
      method: call.method.toUpperCase(),
      headers: {
        'X-Tenant': account.tenant.slug,
        Authorization: `Bearer ${await freshAccessToken()}`,
        ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await response.text();
    const body = (() => {
      try {
        return JSON.parse(text) as { code?: string; details?: { field?: string }[] };
      } catch {
        return {};
      }
    })();
    return { status: response.status, body };
  }

  it('answers 4xx, never 5xx, to a NUL byte, a lone surrogate or 100,000 characters in any of them', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const targets = targetsOf(operation);
        if (targets.length === 0) continue;
        const valid = validCall(method, operation);
        const baseline = await send(template, valid);
        for (const target of targets) {
          for (const poison of POISONS) {
            const { status, body } = await send(template, poisoned(valid, target, poison), target);
            checked++;
            const field = target.field.join('.');
            const where = `${method.toUpperCase()} ${template} ${target.where} ${field} with ${poison.name}`;
            if (status < 400 || status >= 500) problems.push(`${where}: ${status} ${body.code ?? ''}`);
            else if (
              baseline.status < 300 &&
              target.where === 'body' &&
              (body.code !== 'VALIDATION_FAILED' || !body.details?.some((detail) => detail.field === field))
            ) {
              problems.push(
                `${where}: ${status} ${body.code ?? ''}, not a VALIDATION_FAILED naming ${field}`,
              );
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The document lists every route's fields: a handful of routes with a field or two would mean it does not.
    expect(checked).toBeGreaterThan(80);
  });

  it('answers 400 VALIDATION_FAILED naming the field to a project named "a\\u0000b", and stores nothing', async () => {
    const accessToken = await freshAccessToken();
    const create = (name: string) =>
      fetch(`${world.testApp.url}/api/v1/projects`, {
        method: 'POST',
        headers: {
          'X-Tenant': account.tenant.slug,
          Authorization: `Bearer ${accessToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ name }),
      });
    const total = async () =>
      (
        (await (
          await fetch(`${world.testApp.url}/api/v1/projects`, {
            headers: { 'X-Tenant': account.tenant.slug, Authorization: `Bearer ${accessToken}` },
          })
        ).json()) as { total: number }
      ).total;
    const before = await total();
    const response = await create('a\u0000b');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'name', message: 'name must not contain NUL characters' }],
    });
    const lone = await create('a\ud83db');
    expect(lone.status).toBe(400);
    expect(((await lone.json()) as { details: unknown }).details).toEqual([
      { field: 'name', message: 'name must be well-formed Unicode (no lone surrogates)' },
    ]);
    expect(await total()).toBe(before);
  });
});
