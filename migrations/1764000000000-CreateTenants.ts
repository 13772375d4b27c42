import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTenants1764000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE public.tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        name text NOT NULL,
        schema_name text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        plan text NOT NULL DEFAULT 'free',
        schema_version bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tenants_slug_key UNIQUE (slug),
        CONSTRAINT tenants_schema_name_key UNIQUE (schema_name),
        CONSTRAINT tenants_slug_format CHECK (slug ~ '^[a-z][a-z0-9-]{2,29}$' AND slug !~ '-$'),
        CONSTRAINT tenants_schema_name_format CHECK (schema_name ~ '^tenant_[0-9a-f]{32}$'),
        CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended'))
      )`);
    await queryRunner.query(`CREATE INDEX tenants_schema_version_idx ON public.tenants (schema_version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.tenants`);
  }
}
