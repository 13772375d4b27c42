import type { IncomingMessage } from 'node:http';

/**
 * The request Nest middleware is handed: Node's own, which fastify's middie gives the properties its
 * FastifyRequest computed (the host honours TRUST_PROXY, as the client IP does).
 */
export interface MiddlewareRequest extends IncomingMessage {
  hostname?: string;
  ip?: string;
  /** The URL before a middleware mount path was taken off it. */
  originalUrl?: string;
}
