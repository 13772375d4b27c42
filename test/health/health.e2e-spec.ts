import { createServer, type Server } from 'node:net';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

/** A port on which nothing answers: bound, then closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('health', () => {
  describe('with every configured dependency up', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp({
        env: { REDIS_HOST: '127.0.0.1', RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672' },
      });
    });
    afterAll(() => testApp.close());

    it('is live', async () => {
      const response = await request(testApp.url).get('/health/live');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('is ready, having checked PostgreSQL, Redis and RabbitMQ', async () => {
      const response = await request(testApp.url).get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.details).toEqual({
        database: { status: 'up' },
        redis: { status: 'up' },
        rabbitmq: { status: 'up' },
      });
    });
  });

  describe('with a dependency down', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp({
        env: { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(await closedPort()) },
      });
    });
    afterAll(() => testApp.close());

    it('answers 503 NOT_READY naming the failing dependency', async () => {
      const response = await request(testApp.url).get('/health/ready');
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({
        statusCode: 503,
        code: 'NOT_READY',
        message: 'Unavailable: redis',
        details: { checks: { database: { status: 'up' }, redis: { status: 'down' } } },
      });
    });

    it('stays live', async () => {
      expect((await request(testApp.url).get('/health/live')).status).toBe(200);
    });
  });
});
