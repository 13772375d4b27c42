import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBilling1764000000400 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE public.tenants
        ADD COLUMN stripe_customer_id text,
        ADD COLUMN stripe_subscription_id text,
        ADD COLUMN stripe_price_id text,
        ADD COLUMN subscription_status text,
        ADD COLUMN current_period_end timestamptz,
        ADD COLUMN cancel_at_period_end boolean NOT NULL DEFAULT false,
        ADD COLUMN trial_end timestamptz,
        ADD COLUMN past_due_since timestamptz,
        ADD COLUMN billing_event_created bigint,
        ADD CONSTRAINT tenants_stripe_customer_id_key UNIQUE (stripe_customer_id)`);
    await queryRunner.query(`
      CREATE TABLE public.stripe_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        created bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE public.stripe_events`);
    await queryRunner.query(`
      ALTER TABLE public.tenants
        DROP CONSTRAINT tenants_stripe_customer_id_key,
        DROP COLUMN stripe_customer_id,
        DROP COLUMN stripe_subscription_id,
        DROP COLUMN stripe_price_id,
        DROP COLUMN subscription_status,
        DROP COLUMN current_period_end,
        DROP COLUMN cancel_at_period_end,
        DROP COLUMN trial_end,
        DROP COLUMN past_due_since,
        DROP COLUMN billing_event_created`);
  }
}
