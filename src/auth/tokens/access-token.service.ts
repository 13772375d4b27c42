import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../../common/access/access.decorators';

export const ACCESS_TOKEN_ISSUER = 'saas-api';
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

/**
 * What an access token carries: the membership (`sub`), the tenant it is valid for, the role at issue
 * time, and the session it belongs to (it stops working when the session ends). The identity is read
 * with the membership on each request, so tokens issued before identities existed keep working.
 */
export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  sid: string;
}

@Injectable()
export class AccessTokenService {
  constructor(private readonly jwt: JwtService) {}

  sign(claims: AccessTokenClaims): string {
    return this.jwt.sign(claims);
  }
}
