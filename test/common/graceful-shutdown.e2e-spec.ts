import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { PasswordHashPool } from '../../src/auth/passwords/password-hash-pool';
import { Public } from '../../src/common/access/access.decorators';
import { shutDownGracefully } from '../../src/common/http/graceful-shutdown';
import { startTestApp } from '../support/test-app';

let handlerEntered: () => void = () => undefined;

@Public()
@Controller('slow')
class SlowController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async slow(): Promise<{ finished: boolean }> {
    handlerEntered();
    await this.dataSource.query('SELECT pg_sleep(0.7)');
    return { finished: true };
  }
}

describe('graceful shutdown', () => {
  it('finishes an in-flight request, refuses new ones, closes the pool and ends the hashing threads', async () => {
    const testApp = await startTestApp({ controllers: [SlowController] });
    try {
      const passwordHashPool = testApp.app.get(PasswordHashPool);
      await passwordHashPool.hash('a password to start a thread', 4);
      expect(passwordHashPool.runningThreads).toBe(1);
      const entered = new Promise<void>((resolve) => (handlerEntered = resolve));
      const inFlight = request(testApp.url).get('/api/v1/slow');
      const inFlightResponse = inFlight.then((response) => response);
      await entered;

      const shutdown = shutDownGracefully(testApp.app, 5000);
      const response = await inFlightResponse;
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ finished: true });
      await shutdown;

      await expect(request(testApp.url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
      expect(testApp.app.get(DataSource).isInitialized).toBe(false);
      expect(passwordHashPool.runningThreads).toBe(0);
    } finally {
      await testApp.close();
    }
  });
});
