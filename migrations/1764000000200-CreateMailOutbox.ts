import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMailOutbox1764000000200 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign key to tenants: a mail queued just before its tenant is deleted is still a record of it.
    await queryRunner.query(`
      CREATE TABLE public.outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        recipient text NOT NULL,
        kind text NOT NULL,
        content jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        rendered jsonb,
        request_key text,
        sent_at timestamptz,
        resend_id text,
        dead_at timestamptz,
        last_error text,
        CONSTRAINT outbox_rendered_with_request_key CHECK ((rendered IS NULL) = (request_key IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished_idx ON public.outbox (created_at) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_request_key_idx ON public.outbox (request_key) WHERE request_key IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE public.tenant_branding (
        tenant_id uuid PRIMARY KEY REFERENCES public.tenants (id) ON DELETE CASCADE,
        display_name text NOT NULL,
        logo_url text,
        primary_color text NOT NULL CHECK (primary_color ~ '^#[0-9a-fA-F]{6}$'),
        from_name text NOT NULL,
        reply_to text,
        support_url text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.tenant_branding`);
    await queryRunner.query(`DROP TABLE public.outbox`);
  }
}
