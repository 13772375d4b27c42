import type { MigrationInterface, QueryRunner } from 'typeorm';

const MEMBERSHIP_COLUMN_OF = [
  ['memberships', 'id'],
  ['sessions', 'membership_id'],
] as const;

/**
 * Every committed change to what the access check reads (a membership's role and identity, a
 * session's liveness) is announced on `membership_access_changed` with `<schema>:<membership id>`,
 * or `<schema>:*` for a TRUNCATE, whoever makes it: API processes evict their cached copy on it.
 * A session's `last_used_at`, bumped by every refresh, and a membership's `updated_at` announce nothing.
 */
export class NotifyMembershipAccessChanges1796180000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_membership_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('membership_access_changed', TG_TABLE_SCHEMA || ':*');
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('membership_access_changed', TG_TABLE_SCHEMA || ':' || (to_jsonb(OLD) ->> TG_ARGV[0]));
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM pg_notify('membership_access_changed', TG_TABLE_SCHEMA || ':' || (to_jsonb(NEW) ->> TG_ARGV[0]));
        END IF;
        RETURN NULL;
      END
      $$`);
    // The argument: the column naming the membership a row is about.
    for (const [table, membershipColumn] of MEMBERSHIP_COLUMN_OF) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_notify_access_changed
          AFTER INSERT OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION notify_membership_access_changed('${membershipColumn}')`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_notify_access_truncated
          AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION notify_membership_access_changed()`);
    }
    await queryRunner.query(`
      CREATE TRIGGER memberships_notify_access_updated
        AFTER UPDATE ON memberships
        FOR EACH ROW
        WHEN ((OLD.id, OLD.identity_id, OLD.role) IS DISTINCT FROM (NEW.id, NEW.identity_id, NEW.role))
        EXECUTE FUNCTION notify_membership_access_changed('id')`);
    await queryRunner.query(`
      CREATE TRIGGER sessions_notify_access_updated
        AFTER UPDATE ON sessions
        FOR EACH ROW
        WHEN ((OLD.id, OLD.membership_id, OLD.revoked_at) IS DISTINCT FROM (NEW.id, NEW.membership_id, NEW.revoked_at))
        EXECUTE FUNCTION notify_membership_access_changed('membership_id')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of MEMBERSHIP_COLUMN_OF) {
      await queryRunner.query(`DROP TRIGGER ${table}_notify_access_updated ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_notify_access_truncated ON ${table}`);
      await queryRunner.query(`DROP TRIGGER ${table}_notify_access_changed ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION notify_membership_access_changed()`);
  }
}
