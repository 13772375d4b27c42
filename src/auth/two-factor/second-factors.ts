import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { newRecoveryCodes, hashRecoveryCode } from './recovery-codes';
import { matchingTotpStep, newTotpSecret } from './totp';
import { TotpFactor } from './totp-factor.entity';
import { TotpRecoveryCode } from './totp-recovery-code.entity';
import { TotpSecretCipher } from './totp-secret-cipher';

/** What proves the second factor: a code of the authenticator app, or one of the recovery codes. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

/** Which proof was accepted; undefined when it was not. */
export type AcceptedProof = 'code' | 'recovery_code' | undefined;

/**
 * The TOTP factors of identities and their recovery codes, in the shared schema. A proof is judged
 * with the factor's row locked until the caller's transaction ends, so two requests with one code
 * cannot both see its step unused.
 */
@Injectable()
export class SecondFactors {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TotpSecretCipher,
  ) {}

  async isEnabled(identityId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.exists(TotpFactor, { where: { identityId, confirmedAt: Not(IsNull()) } });
  }

  /**
   * A new pending secret for the identity, replacing a pending one; undefined when a confirmed
   * factor is on (one statement, so a concurrent confirmation cannot be overwritten).
   */
  async startEnrolment(identityId: string): Promise<string | undefined> {
    const secret = newTotpSecret();
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO public.totp_factors (identity_id, secret_ciphertext) VALUES ($1, $2)
       ON CONFLICT (identity_id) DO UPDATE
         SET secret_ciphertext = EXCLUDED.secret_ciphertext, last_used_step = NULL, created_at = now()
         WHERE totp_factors.confirmed_at IS NULL
       RETURNING identity_id`,
      [identityId, this.cipher.encrypt(secret, identityId)],
    );
    return rows.length > 0 ? secret : undefined;
  }

  /** The identity's factor, pending or confirmed, locked for the transaction. */
  lock(manager: EntityManager, identityId: string): Promise<TotpFactor | null> {
    return manager.findOne(TotpFactor, { where: { identityId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Judges the proof against the locked factor and spends it: a code's time step must be later than
   * the last one accepted, a recovery code must be unused. A recovery code works only once confirmed.
   */
  async accept(manager: EntityManager, factor: TotpFactor, proof: SecondFactorProof): Promise<AcceptedProof> {
    if ('code' in proof) {
      const secret = this.cipher.decrypt(factor.secretCiphertext, factor.identityId);
      const step = matchingTotpStep(secret, proof.code);
      if (step === undefined || (factor.lastUsedStep !== null && step <= factor.lastUsedStep))
        return undefined;
      await manager.update(TotpFactor, { identityId: factor.identityId }, { lastUsedStep: step });
      factor.lastUsedStep = step;
      return 'code';
    }
    if (factor.confirmedAt === null) return undefined;
    const spent = await manager.update(
      TotpRecoveryCode,
      { identityId: factor.identityId, codeHash: hashRecoveryCode(proof.recoveryCode), usedAt: IsNull() },
      { usedAt: new Date() },
    );
    return spent.affected ? 'recovery_code' : undefined;
  }

  /** Turns the locked pending factor on, with new recovery codes: returned once, stored hashed. */
  async confirm(manager: EntityManager, factor: TotpFactor): Promise<string[]> {
    await manager.update(TotpFactor, { identityId: factor.identityId }, { confirmedAt: new Date() });
    await manager.delete(TotpRecoveryCode, { identityId: factor.identityId });
    const codes = newRecoveryCodes();
    await manager.insert(
      TotpRecoveryCode,
      codes.map((code) => ({ identityId: factor.identityId, codeHash: hashRecoveryCode(code) })),
    );
    return codes;
  }

  /** The factor and its recovery codes go. */
  async remove(manager: EntityManager, identityId: string): Promise<void> {
    await manager.delete(TotpRecoveryCode, { identityId });
    await manager.delete(TotpFactor, { identityId });
  }
}
