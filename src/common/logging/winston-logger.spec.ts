import { Writable } from 'node:stream';
import { CLS_ID, ClsModule, ClsService, ClsServiceManager } from 'nestjs-cls';
import { Test } from '@nestjs/testing';
import { transports } from 'winston';
import type { AppConfig } from '../../config';
import * as requestContext from '../request-context';
import type { RequestContextStore } from '../request-context';
import { createAppLogger } from './winston-logger';

function capture(format: 'json' | 'pretty', level: AppConfig['log']['level'] = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trim());
      done();
    },
  });
  const logger = createAppLogger({ log: { level, format } }, new transports.Stream({ stream }));
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

  it('drops lines below its level before formatting them, and writes the rest', async () => {
    const { logger, lines } = capture('json', 'warn');
    const formatted = jest.spyOn(requestContext, 'currentRequestLogFields');
    try {
      logger.log('served', 'HTTP');
      logger.log({ message: 'an access line', method: 'GET' }, 'HTTP');
      logger.debug?.('details', 'Test');
      expect(formatted).not.toHaveBeenCalled();
      logger.warn('careful', 'Test');
      logger.log({ message: 'raised', level: 'error' }, 'Test');
      logger.error('failed', undefined, 'Test');
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
        'careful',
        'raised',
        'failed',
      ]);
    } finally {
      formatted.mockRestore();
    }
  });
});
