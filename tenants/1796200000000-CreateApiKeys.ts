import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys, and the audit log's column for the key that made a change. Every committed change to what
 * the key check reads is announced on `api_key_changed` with `<schema>:<prefix>`, or `<schema>:*` for
 * a TRUNCATE, whoever makes it: API processes evict their cached copy on it. `last_used_at`, written
 * in batches, announces nothing.
 */
export class CreateApiKeys1796200000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        scopes text[] NOT NULL,
        prefix text NOT NULL,
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix)`);
    await queryRunner.query(`ALTER TABLE audit_log ADD COLUMN actor_api_key_id uuid`);
    await queryRunner.query(`
      CREATE FUNCTION notify_api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('api_key_changed', TG_TABLE_SCHEMA || ':*');
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('api_key_changed', TG_TABLE_SCHEMA || ':' || OLD.prefix);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM pg_notify('api_key_changed', TG_TABLE_SCHEMA || ':' || NEW.prefix);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_notify_changed
        AFTER INSERT OR DELETE ON api_keys
        FOR EACH ROW EXECUTE FUNCTION notify_api_key_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_notify_updated
        AFTER UPDATE ON api_keys
        FOR EACH ROW
        WHEN ((OLD.id, OLD.name, OLD.scopes, OLD.prefix, OLD.secret_hash, OLD.expires_at, OLD.revoked_at)
          IS DISTINCT FROM (NEW.id, NEW.name, NEW.scopes, NEW.prefix, NEW.secret_hash, NEW.expires_at, NEW.revoked_at))
        EXECUTE FUNCTION notify_api_key_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_notify_truncated
        AFTER TRUNCATE ON api_keys
        FOR EACH STATEMENT EXECUTE FUNCTION notify_api_key_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP FUNCTION notify_api_key_changed()`);
    await queryRunner.query(`ALTER TABLE audit_log DROP COLUMN actor_api_key_id`);
  }
}
