import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person is one identity, shared by every tenant: email, name, password. Each tenant keeps its
 * memberships in its own schema (no foreign key crosses into it); `identity_memberships` is the
 * shared directory of them, written in the transaction of every membership change, so that "every
 * tenant of this identity" needs no scan of the tenant schemas. Password reset tokens are the
 * identity's, with the tenant they were asked through (its branding, and the only place they work).
 */
export class CreateIdentities1796170000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        email_verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT identities_email_key UNIQUE (email),
        CONSTRAINT identities_email_lower CHECK (email = lower(email))
      )`);
    await queryRunner.query(`
      CREATE TABLE public.identity_memberships (
        identity_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT identity_memberships_pkey PRIMARY KEY (identity_id, tenant_id),
        CONSTRAINT identity_memberships_tenant_membership_key UNIQUE (tenant_id, membership_id),
        CONSTRAINT identity_memberships_role_check CHECK (role IN ('owner', 'admin', 'member')),
        CONSTRAINT identity_memberships_identity_id_fkey
          FOREIGN KEY (identity_id) REFERENCES public.identities (id),
        CONSTRAINT identity_memberships_tenant_id_fkey
          FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE public.password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        identity_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT password_reset_tokens_token_hash_key UNIQUE (token_hash),
        CONSTRAINT password_reset_tokens_identity_id_fkey
          FOREIGN KEY (identity_id) REFERENCES public.identities (id) ON DELETE CASCADE,
        CONSTRAINT password_reset_tokens_tenant_id_fkey
          FOREIGN KEY (tenant_id) REFERENCES public.tenants (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX password_reset_tokens_identity_idx ON public.password_reset_tokens (identity_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX password_reset_tokens_tenant_idx ON public.password_reset_tokens (tenant_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.password_reset_tokens`);
    await queryRunner.query(`DROP TABLE public.identity_memberships`);
    await queryRunner.query(`DROP TABLE public.identities`);
  }
}
