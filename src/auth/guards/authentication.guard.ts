import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ClsService } from 'nestjs-cls';
import { ApiKeyAuthenticator } from '../../api-keys/api-key-authenticator';
import { looksLikeApiKey } from '../../api-keys/api-key-format';
import {
  AUTHENTICATED_API_KEY,
  AUTHENTICATED_USER,
  type AuthenticatedUser,
  isPublicRoute,
} from '../../common/access/access.decorators';
import { AppException } from '../../common/errors/app.exception';
import { UnauthorizedException } from '../auth.errors';

/** CLS key of the 401 that a missing or rejected access token earns on a route that needs one. */
export const ACCESS_TOKEN_REJECTION = 'accessTokenRejection';

/** The bearer token of the request, read adapter-neutrally from the raw header. */
function bearerTokenOf(context: ExecutionContext): string | undefined {
  const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
  const header = headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function rejectionOf(error: unknown, info: unknown): AppException {
  if (error instanceof AppException) return error;
  const expired = info instanceof Error && info.name === 'TokenExpiredError';
  return new UnauthorizedException(expired ? 'The access token has expired' : undefined);
}

/**
 * Tells who is calling before anything refuses the request: a valid bearer token puts its caller in
 * CLS, the user of an access token (checked by the JWT strategy) or an API key (a token with the key
 * prefix, checked by ApiKeyAuthenticator and never read as a JWT); a missing or bad one leaves the
 * request anonymous and keeps its 401 for AccessTokenGuard. It never refuses, so the rate limit after
 * it sees anonymous requests too. Public routes are anonymous whatever token they carry.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly cls: ClsService,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublicRoute(this.reflector, context)) return true;
    const token = bearerTokenOf(context);
    if (token !== undefined && looksLikeApiKey(token)) await this.authenticateApiKey(token);
    else await super.canActivate(context);
    return true;
  }

  private async authenticateApiKey(token: string): Promise<void> {
    try {
      this.cls.set(AUTHENTICATED_API_KEY, await this.apiKeys.authenticate(token));
    } catch (error) {
      this.cls.set(ACCESS_TOKEN_REJECTION, rejectionOf(error, undefined));
    }
  }

  override handleRequest<TUser = AuthenticatedUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
  ): TUser {
    if (!error && user) {
      this.cls.set(AUTHENTICATED_USER, user);
      return user;
    }
    this.cls.set(ACCESS_TOKEN_REJECTION, rejectionOf(error, info));
    // No user: passport leaves request.user empty and the request goes on, anonymous.
    return undefined as TUser;
  }
}
