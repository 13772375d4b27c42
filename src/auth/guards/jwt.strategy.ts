import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ROLES, type AuthenticatedUser } from '../../common/access/access.decorators';
import { InjectConfig, type AppConfig } from '../../config';
import { MembersService } from '../../members/members.service';
import { TenantContext } from '../../tenancy/tenant-context';
import { UnauthorizedException } from '../auth.errors';
import { jwtKeyFor } from '../tokens/jwt-secret';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_ISSUER,
  type AccessTokenClaims,
} from '../tokens/access-token.service';

function isAccessTokenClaims(payload: unknown): payload is AccessTokenClaims {
  const claims = payload as Partial<AccessTokenClaims> | null;
  return (
    typeof claims?.sub === 'string' &&
    typeof claims.tid === 'string' &&
    (ROLES as readonly unknown[]).includes(claims.role) &&
    isUUID(claims.sid)
  );
}

/**
 * Verifies the bearer token (HS256 only, so `alg: none` and algorithm swaps fail), then checks it
 * against the request: its tenant must be the resolved tenant, its membership (`sub`) must still exist
 * and its session must not have ended. The membership's current role is used, not the one in the token.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly members: MembersService,
    @InjectConfig() config: AppConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands the key to jsonwebtoken untouched, which takes a KeyObject (parsed once,
      // not per token); only passport-jwt's types are narrower (string | Buffer).
      secretOrKey: jwtKeyFor(config) as unknown as Buffer,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(payload: unknown): Promise<AuthenticatedUser> {
    if (!isAccessTokenClaims(payload)) throw new UnauthorizedException('The access token is malformed');
    if (!this.tenantContext.hasTenant || payload.tid !== this.tenantContext.tenant.id) {
      throw new UnauthorizedException('The access token belongs to another tenant');
    }
    const current = await this.members.currentRole(payload.sub, payload.sid);
    if (!current) throw new UnauthorizedException('The user of this access token no longer exists');
    if (!current.sessionLive) throw new UnauthorizedException('The session of this access token has ended');
    return {
      id: payload.sub,
      identityId: current.identityId,
      tenantId: payload.tid,
      role: current.role,
      sessionId: payload.sid,
    };
  }
}
