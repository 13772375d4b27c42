import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectConfig, type AppConfig } from '../../config';
import { PasswordHashPool } from './password-hash-pool';

/** bcrypt at the configured cost; `verify` does the same work whether or not the user exists. */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private unknownUserHash?: Promise<string>;

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly pool: PasswordHashPool,
  ) {
    this.cost = config.auth.bcryptCost;
  }

  hash(password: string): Promise<string> {
    return this.pool.hash(password, this.cost);
  }

  /** Compares against a hash of the same cost when there is no user, so timing does not tell. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const matches = await this.pool.compare(password, hash ?? (await this.unknownUserHashOnce()));
    return matches && hash !== undefined;
  }

  /** Made once; a try refused while the pool was busy is made again by the next unknown user. */
  private unknownUserHashOnce(): Promise<string> {
    this.unknownUserHash ??= this.hash(randomBytes(16).toString('hex')).catch((error: unknown) => {
      this.unknownUserHash = undefined;
      throw error;
    });
    return this.unknownUserHash;
  }
}
