import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second factor is the identity's, like its password: one TOTP secret (encrypted, pending until
 * confirmed) and its recovery codes (SHA-256), whichever tenant the person signs in to. A sign-in
 * challenge is the first step of a login passed with the password, bound to the tenant and membership
 * it was made at. Owners can require a second factor of every member: `tenants.require_2fa`.
 */
export class CreateTwoFactor1796190000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.totp_factors (
        identity_id uuid PRIMARY KEY,
        secret_ciphertext text NOT NULL,
        confirmed_at timestamptz,
        last_used_step bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT totp_factors_identity_id_fkey
          FOREIGN KEY (identity_id) REFERENCES public.identities (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE public.totp_recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        identity_id uuid NOT NULL,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT totp_recovery_codes_identity_code_key UNIQUE (identity_id, code_hash),
        CONSTRAINT totp_recovery_codes_identity_id_fkey
          FOREIGN KEY (identity_id) REFERENCES public.identities (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE public.mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL,
        identity_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        password_fingerprint text NOT NULL,
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT mfa_challenges_token_hash_key UNIQUE (token_hash),
        CONSTRAINT mfa_challenges_identity_id_fkey
          FOREIGN KEY (identity_id) REFERENCES public.identities (id) ON DELETE CASCADE,
        CONSTRAINT mfa_challenges_tenant_id_fkey
          FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX mfa_challenges_identity_idx ON public.mfa_challenges (identity_id)`,
    );
    await queryRunner.query(`CREATE INDEX mfa_challenges_tenant_idx ON public.mfa_challenges (tenant_id)`);
    await queryRunner.query(
      `ALTER TABLE public.tenants ADD COLUMN require_2fa boolean NOT NULL DEFAULT false`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE public.tenants DROP COLUMN require_2fa`);
    await queryRunner.query(`DROP TABLE public.mfa_challenges`);
    await queryRunner.query(`DROP TABLE public.totp_recovery_codes`);
    await queryRunner.query(`DROP TABLE public.totp_factors`);
  }
}
