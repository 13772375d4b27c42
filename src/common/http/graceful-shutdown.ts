import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';

const logger = new Logger('Shutdown');

/**
 * Stops taking connections, lets in-flight requests finish (up to `timeoutMs`), then closes the app,
 * which closes its pools. Idle keep-alive connections are closed at once so they do not hold it open.
 */
export async function shutDownGracefully(app: INestApplication, timeoutMs: number): Promise<void> {
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([closed.then(() => 'drained' as const), deadline]);
  clearInterval(idleSweep);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn(`In-flight requests still running after ${timeoutMs} ms; closing their connections`);
    server.closeAllConnections();
  }
  await app.close();
}
