import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to a tenant's catalogue row is announced on `tenant_changed` (payload: the
 * slug), whoever makes it: the API, a CLI, a webhook or an operator's SQL. API processes evict their
 * cached copy on it. Bookkeeping columns (schema_version, updated_at) alone announce nothing, so a
 * migration run over every tenant does not empty every cache.
 */
export class NotifyTenantChanges1764000000600 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION public.notify_tenant_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('tenant_changed', OLD.slug);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.slug <> OLD.slug) THEN
          PERFORM pg_notify('tenant_changed', NEW.slug);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER tenants_notify_changed
        AFTER INSERT OR DELETE ON public.tenants
        FOR EACH ROW EXECUTE FUNCTION public.notify_tenant_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER tenants_notify_updated
        AFTER UPDATE ON public.tenants
        FOR EACH ROW
        WHEN (to_jsonb(OLD) - 'schema_version' - 'updated_at' IS DISTINCT FROM to_jsonb(NEW) - 'schema_version' - 'updated_at')
        EXECUTE FUNCTION public.notify_tenant_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tenants_notify_updated ON public.tenants`);
    await queryRunner.query(`DROP TRIGGER tenants_notify_changed ON public.tenants`);
    await queryRunner.query(`DROP FUNCTION public.notify_tenant_changed()`);
  }
}
