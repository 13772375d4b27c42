import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email verification links of identities, stored as the SHA-256 of their token, with the address they
 * prove (the identity's own, or the one an email change goes to) and the tenant they were mailed from,
 * the only one where they work.
 */
export class CreateEmailVerificationTokens1796180000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.email_verification_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        identity_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        email text NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT email_verification_tokens_token_hash_key UNIQUE (token_hash),
        CONSTRAINT email_verification_tokens_identity_id_fkey
          FOREIGN KEY (identity_id) REFERENCES public.identities (id) ON DELETE CASCADE,
        CONSTRAINT email_verification_tokens_tenant_id_fkey
          FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX email_verification_tokens_identity_idx ON public.email_verification_tokens (identity_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX email_verification_tokens_tenant_idx ON public.email_verification_tokens (tenant_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.email_verification_tokens`);
  }
}
