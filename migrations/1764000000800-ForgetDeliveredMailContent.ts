import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivered mail keeps what proves it was sent (ids, kind, tenant, recipient, timestamps, request
 * key, Resend's id) and nothing it carried: the worker clears its content and rendered body in the
 * statement that records the delivery, and the database refuses a sent row that still holds them.
 * Rows sent before this migration are cleared here. The two indexes serve the retention sweep.
 */
export class ForgetDeliveredMailContent1764000000800 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE public.outbox ALTER COLUMN content DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE public.outbox DROP CONSTRAINT outbox_rendered_with_request_key`);
    await queryRunner.query(
      `UPDATE public.outbox SET content = NULL, rendered = NULL WHERE sent_at IS NOT NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE public.outbox
        ADD CONSTRAINT outbox_rendered_with_request_key
          CHECK (sent_at IS NOT NULL OR (rendered IS NULL) = (request_key IS NULL)),
        ADD CONSTRAINT outbox_sent_carries_nothing
          CHECK ((content IS NULL) = (sent_at IS NOT NULL) AND (sent_at IS NULL OR rendered IS NULL))`);
    await queryRunner.query(
      `CREATE INDEX outbox_sent_at_idx ON public.outbox (sent_at) WHERE sent_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_dead_at_idx ON public.outbox (dead_at) WHERE dead_at IS NOT NULL AND sent_at IS NULL`,
    );
  }

  /** The content of delivered mail is gone for good: placeholders satisfy the old constraints. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX public.outbox_dead_at_idx`);
    await queryRunner.query(`DROP INDEX public.outbox_sent_at_idx`);
    await queryRunner.query(`
      ALTER TABLE public.outbox
        DROP CONSTRAINT outbox_sent_carries_nothing,
        DROP CONSTRAINT outbox_rendered_with_request_key`);
    await queryRunner.query(`
      UPDATE public.outbox SET content = jsonb_build_object('kind', kind),
        rendered = CASE WHEN request_key IS NULL THEN NULL ELSE '{}'::jsonb END
      WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE public.outbox ALTER COLUMN content SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE public.outbox ADD CONSTRAINT outbox_rendered_with_request_key
        CHECK ((rendered IS NULL) = (request_key IS NULL))`);
  }
}
