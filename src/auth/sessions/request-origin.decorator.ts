import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where a sign-in comes from, as its session records it. */
export interface RequestOrigin {
  /** Capped: the header is the client's to choose. */
  userAgent: string | null;
  /** The client IP (TRUST_PROXY decides whether X-Forwarded-For counts). */
  ip: string;
}

const USER_AGENT_MAX_LENGTH = 512;

/** The request's user agent and client IP: `handler(@ClientOrigin() origin: RequestOrigin)`. */
export const ClientOrigin = createParamDecorator((_: unknown, context: ExecutionContext): RequestOrigin => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return {
    userAgent: request.headers['user-agent']?.slice(0, USER_AGENT_MAX_LENGTH) || null,
    ip: request.ip,
  };
});
