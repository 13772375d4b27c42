import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { InjectConfig, type AppConfig } from '../../config';

/** bcrypt at the configured cost; `verify` does the same work whether or not the user exists. */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private unknownUserHash?: Promise<string>;

  constructor(@InjectConfig() config: AppConfig) {
    this.cost = config.auth.bcryptCost;
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  /** Compares against a hash of the same cost when there is no user, so timing does not tell. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    this.unknownUserHash ??= bcrypt.hash(randomBytes(16).toString('hex'), this.cost);
    const matches = await bcrypt.compare(password, hash ?? (await this.unknownUserHash));
    return matches && hash !== undefined;
  }
}
