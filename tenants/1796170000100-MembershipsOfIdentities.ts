import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The current tenant's catalogue row: the migration runs with its schema alone on the search_path. */
const THIS_TENANT = `(SELECT id FROM public.tenants WHERE schema_name = current_schema())`;

/**
 * Tenant users become memberships of shared identities, one identity per distinct email. Where an
 * email had several passwords (one per tenant), the account updated most recently wins, ties going
 * to the greater hash (byte order): a total order, so the outcome is the same whichever schemas migrate first or
 * at once; the others' passwords stop working and their people sign in with the winner or reset.
 * Rows are upserted in email order, so schemas migrating concurrently take their locks alike.
 * Memberships keep the users' ids: sessions, invitations and audit entries stay valid.
 */
export class MembershipsOfIdentities1796170000100 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const newer = `(excluded.updated_at, excluded.password_hash COLLATE "C") > (i.updated_at, i.password_hash COLLATE "C")`;
    await queryRunner.query(`
      INSERT INTO public.identities AS i (email, name, password_hash, created_at, updated_at)
      SELECT email, name, password_hash, created_at, updated_at FROM users ORDER BY email
      ON CONFLICT (email) DO UPDATE SET
        name = CASE WHEN ${newer} THEN excluded.name ELSE i.name END,
        password_hash = CASE WHEN ${newer} THEN excluded.password_hash ELSE i.password_hash END,
        created_at = least(i.created_at, excluded.created_at),
        updated_at = greatest(i.updated_at, excluded.updated_at)`);
    await queryRunner.query(`ALTER TABLE users RENAME TO memberships`);
    await queryRunner.query(`ALTER TABLE memberships RENAME CONSTRAINT users_pkey TO memberships_pkey`);
    await queryRunner.query(
      `ALTER TABLE memberships RENAME CONSTRAINT users_role_check TO memberships_role_check`,
    );
    await queryRunner.query(
      `ALTER TABLE memberships ADD COLUMN identity_id uuid, ADD COLUMN invited_by uuid`,
    );
    await queryRunner.query(`
      UPDATE memberships m SET identity_id = i.id FROM public.identities i WHERE i.email = m.email`);
    // Who invited a member was only written on the invitation they accepted (the latest one).
    await queryRunner.query(`
      UPDATE memberships m SET invited_by = accepted.invited_by
      FROM (
        SELECT DISTINCT ON (email) email, invited_by FROM invitations
        WHERE accepted_at IS NOT NULL ORDER BY email, accepted_at DESC
      ) accepted
      WHERE accepted.email = m.email`);
    await queryRunner.query(`ALTER TABLE memberships ALTER COLUMN identity_id SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE memberships
        ADD CONSTRAINT memberships_identity_id_key UNIQUE (identity_id),
        ADD CONSTRAINT memberships_invited_by_fkey
          FOREIGN KEY (invited_by) REFERENCES memberships (id) ON DELETE SET NULL`);
    await queryRunner.query(`CREATE INDEX memberships_invited_by_idx ON memberships (invited_by)`);
    await queryRunner.query(`
      INSERT INTO public.identity_memberships (identity_id, tenant_id, membership_id, role, created_at)
      SELECT identity_id, ${THIS_TENANT}, id, role, created_at FROM memberships`);
    await queryRunner.query(`
      INSERT INTO public.password_reset_tokens (id, identity_id, tenant_id, token_hash, expires_at, created_at)
      SELECT reset.id, m.identity_id, ${THIS_TENANT}, reset.token_hash, reset.expires_at, reset.created_at
      FROM password_reset_tokens reset JOIN memberships m ON m.id = reset.user_id
      WHERE reset.used_at IS NULL AND reset.expires_at > now()`);
    await queryRunner.query(`DROP TABLE password_reset_tokens`);
    await queryRunner.query(`
      ALTER TABLE memberships
        DROP CONSTRAINT users_email_key,
        DROP CONSTRAINT users_email_lower,
        DROP COLUMN email,
        DROP COLUMN name,
        DROP COLUMN password_hash`);
    await queryRunner.query(`ALTER TABLE sessions RENAME COLUMN user_id TO membership_id`);
    await queryRunner.query(
      `ALTER TABLE sessions RENAME CONSTRAINT sessions_user_id_fkey TO sessions_membership_id_fkey`,
    );
    await queryRunner.query(`ALTER INDEX sessions_user_idx RENAME TO sessions_membership_idx`);
  }

  /** Each member gets back the identity's email, name and password; the identities stay shared. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX sessions_membership_idx RENAME TO sessions_user_idx`);
    await queryRunner.query(
      `ALTER TABLE sessions RENAME CONSTRAINT sessions_membership_id_fkey TO sessions_user_id_fkey`,
    );
    await queryRunner.query(`ALTER TABLE sessions RENAME COLUMN membership_id TO user_id`);
    await queryRunner.query(
      `ALTER TABLE memberships ADD COLUMN email text, ADD COLUMN name text, ADD COLUMN password_hash text`,
    );
    await queryRunner.query(`
      UPDATE memberships m SET email = i.email, name = i.name, password_hash = i.password_hash
      FROM public.identities i WHERE i.id = m.identity_id`);
    await queryRunner.query(`
      ALTER TABLE memberships
        ALTER COLUMN email SET NOT NULL,
        ALTER COLUMN name SET NOT NULL,
        ALTER COLUMN password_hash SET NOT NULL,
        ADD CONSTRAINT users_email_key UNIQUE (email),
        ADD CONSTRAINT users_email_lower CHECK (email = lower(email))`);
    await queryRunner.query(`
      CREATE TABLE password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT password_reset_tokens_token_hash_key UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id)`);
    await queryRunner.query(`
      INSERT INTO password_reset_tokens (id, user_id, token_hash, expires_at, used_at, created_at)
      SELECT reset.id, m.id, reset.token_hash, reset.expires_at, reset.used_at, reset.created_at
      FROM public.password_reset_tokens reset JOIN memberships m ON m.identity_id = reset.identity_id
      WHERE reset.tenant_id = ${THIS_TENANT}`);
    await queryRunner.query(`DELETE FROM public.password_reset_tokens WHERE tenant_id = ${THIS_TENANT}`);
    await queryRunner.query(`DELETE FROM public.identity_memberships WHERE tenant_id = ${THIS_TENANT}`);
    await queryRunner.query(`DROP INDEX memberships_invited_by_idx`);
    await queryRunner.query(`
      ALTER TABLE memberships
        DROP CONSTRAINT memberships_invited_by_fkey,
        DROP CONSTRAINT memberships_identity_id_key,
        DROP COLUMN invited_by,
        DROP COLUMN identity_id`);
    await queryRunner.query(
      `ALTER TABLE memberships RENAME CONSTRAINT memberships_role_check TO users_role_check`,
    );
    await queryRunner.query(`ALTER TABLE memberships RENAME CONSTRAINT memberships_pkey TO users_pkey`);
    await queryRunner.query(`ALTER TABLE memberships RENAME TO users`);
  }
}
