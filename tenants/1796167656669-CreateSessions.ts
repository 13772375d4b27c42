import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions as rows of their own; refresh tokens (and access tokens, by claim) belong to one. */
export class CreateSessions1796167656669 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        user_agent text,
        ip text,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
    // Each refresh token family so far was one sign-in: it becomes a session, ended if its tokens were.
    await queryRunner.query(`
      INSERT INTO sessions (id, user_id, created_at, last_used_at, revoked_at)
      SELECT family_id, user_id, min(created_at), max(created_at), max(revoked_at)
      FROM refresh_tokens
      GROUP BY family_id, user_id`);
    await queryRunner.query(`ALTER TABLE refresh_tokens RENAME COLUMN family_id TO session_id`);
    await queryRunner.query(`ALTER INDEX refresh_tokens_family_idx RENAME TO refresh_tokens_session_idx`);
    await queryRunner.query(`
      ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_session_id_fkey
        FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE refresh_tokens DROP COLUMN user_id`);
    await queryRunner.query(`ALTER TABLE refresh_tokens DROP COLUMN revoked_at`);
    await queryRunner.query(`CREATE INDEX password_reset_tokens_user_idx ON password_reset_tokens (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX password_reset_tokens_user_idx');
    await queryRunner.query(`
      ALTER TABLE refresh_tokens
        ADD COLUMN user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        ADD COLUMN revoked_at timestamptz`);
    await queryRunner.query(`
      UPDATE refresh_tokens SET user_id = sessions.user_id, revoked_at = sessions.revoked_at
      FROM sessions WHERE sessions.id = refresh_tokens.session_id`);
    await queryRunner.query('ALTER TABLE refresh_tokens ALTER COLUMN user_id SET NOT NULL');
    await queryRunner.query('CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)');
    await queryRunner.query('ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session_id_fkey');
    await queryRunner.query('ALTER INDEX refresh_tokens_session_idx RENAME TO refresh_tokens_family_idx');
    await queryRunner.query('ALTER TABLE refresh_tokens RENAME COLUMN session_id TO family_id');
    await queryRunner.query('DROP TABLE sessions');
  }
}
