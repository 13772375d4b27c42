import { Writable } from 'node:stream';
import { CLS_ID, ClsModule, ClsService, ClsServiceManager } from 'nestjs-cls';
import { Test } from '@nestjs/testing';
import { transports } from 'winston';
import type { RequestContextStore } from '../request-context';
import { createAppLogger } from './winston-logger';

function capture(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trim());
      done();
    },
  });
  const logger = createAppLogger({ log: { level: 'info', format } }, new transports.Stream({ stream }));
  return { logger, lines };
}

describe('createAppLogger', () => {
  let cls: ClsService<RequestContextStore>;

  beforeAll(async () => {
    await Test.createTestingModule({ imports: [ClsModule.forRoot({ global: true })] }).compile();
    cls = ClsServiceManager.getClsService<RequestContextStore>();
  });

  it('writes JSON lines carrying the request id and tenant of the current request', async () => {
    const { logger, lines } = capture('json');
    cls.run(() => {
      cls.set(CLS_ID, 'req-1');
      cls.set('tenantSlug', 'acme');
      logger.log('hello', 'Test');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({
      message: 'hello',
      context: 'Test',
      requestId: 'req-1',
      tenant: 'acme',
      level: 'info',
    });
    expect(typeof line.timestamp).toBe('string');
  });

  it('leaves the request fields out outside a request', async () => {
    const { logger, lines } = capture('json');
    logger.warn('boot', 'Test');
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line.requestId).toBeUndefined();
    expect(line.tenant).toBeUndefined();
  });

  it('writes readable lines in development', async () => {
    const { logger, lines } = capture('pretty');
    cls.run(() => {
      cls.set(CLS_ID, 'req-2');
      logger.log('served', 'HTTP');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatch(/info.*\[HTTP req=req-2\] served$/);
  });
});
