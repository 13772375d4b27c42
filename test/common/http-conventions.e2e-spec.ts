import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsInt, IsString, Max, MinLength } from 'class-validator';
import request from 'supertest';
import { Public } from '../../src/common/access/access.decorators';
import { startTestApp, type TestApp } from '../support/test-app';

class CreateWidgetDto {
  @IsString()
  @MinLength(3)
  name!: string;

  @IsInt()
  @Max(10)
  size!: number;
}

/** Routes that exist only to exercise the framework: validation, unknown errors. */
@Public()
@Controller('conventions')
class ConventionsController {
  @Post('widgets')
  create(@Body() body: CreateWidgetDto): CreateWidgetDto {
    return body;
  }

  @Get('explode')
  explode(): never {
    throw new Error('connection string postgres://secret@db leaked?');
  }
}

describe('HTTP conventions', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ controllers: [ConventionsController] });
  });
  afterAll(() => testApp.close());

  const api = () => request(testApp.url);

  it('keeps idle connections open longer than a load balancer does (65 s), so none is reused as it closes', async () => {
    const response = await fetch(`${testApp.url}/health/live`);
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('serves routes under /api/v1 and transforms valid bodies', async () => {
    const response = await api().post('/api/v1/conventions/widgets').send({ name: 'gear', size: 3 });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ name: 'gear', size: 3 });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await api()
      .post('/api/v1/conventions/widgets')
      .set('Content-Type', 'application/json')
      .send('{"name": "gear",');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON',
      requestId: response.headers['x-request-id'],
    });
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', 'name=gear&size=3'],
    ['plain text', 'text/plain', '{"name": "gear", "size": 3}'],
    ['XML', 'application/xml', '<widget name="gear"/>'],
  ])('answers %s body with 415 UNSUPPORTED_MEDIA_TYPE: the API reads JSON only', async (_, type, body) => {
    const response = await api().post('/api/v1/conventions/widgets').set('Content-Type', type).send(body);
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it('reads an empty JSON body as an empty object, so validation names the missing fields', async () => {
    const response = await api().post('/api/v1/conventions/widgets').set('Content-Type', 'application/json');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses JSON that sets __proto__ with 400 MALFORMED_JSON', async () => {
    const response = await api()
      .post('/api/v1/conventions/widgets')
      .set('Content-Type', 'application/json')
      .send('{"name": "gear", "size": 3, "__proto__": {"admin": true}}');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
  });

  it('rejects unknown fields with field-level details', async () => {
    const response = await api()
      .post('/api/v1/conventions/widgets')
      .send({ name: 'gear', size: 3, admin: true });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'admin', message: 'property admin should not exist' }],
    });
  });

  it('lists every invalid field', async () => {
    const response = await api().post('/api/v1/conventions/widgets').send({ name: 'x', size: 11 });
    expect(response.status).toBe(400);
    const fields = (response.body as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields.sort()).toEqual(['name', 'size']);
  });

  it('answers a body over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await api()
      .post('/api/v1/conventions/widgets')
      .send({ name: 'x'.repeat(1024 * 1024 + 1), size: 1 });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const response = await api().get('/api/v1/no-such-route');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers an unexpected error with 500 INTERNAL and no internals', async () => {
    const response = await api().get('/api/v1/conventions/explode');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      requestId: response.headers['x-request-id'],
    });
    expect(JSON.stringify(response.body)).not.toContain('secret');
  });

  it('echoes the client request id and generates one otherwise', async () => {
    const echoed = await api().get('/health/live').set('X-Request-Id', 'client-chosen-42');
    expect(echoed.headers['x-request-id']).toBe('client-chosen-42');
    const generated = await api().get('/health/live');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the helmet security headers', async () => {
    const response = await api().get('/health/live');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
    // Outside production the page must work over plain http (Swagger UI's scripts are same-origin).
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await api().get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const document = await api().get('/docs-json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toMatch(/^3\./);
    expect(Object.keys(document.body.paths as object)).toEqual(expect.arrayContaining(['/health/ready']));
  });
});
