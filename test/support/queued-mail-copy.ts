import type { DataSource } from 'typeorm';

/**
 * The outbox forgets what a mail carried once it is delivered, and the in-process worker delivers
 * within milliseconds. So that tests can still read a mailed token, the test template keeps a copy of
 * every mail as it was queued (committed with it, rolled back with it), which `queuedMails` reads.
 * Only test databases have it.
 */
export async function keepCopiesOfQueuedMail(dataSource: DataSource): Promise<void> {
  await dataSource.query(`
    CREATE TABLE public.test_queued_mail (
      id uuid PRIMARY KEY,
      tenant_id uuid NOT NULL,
      recipient text NOT NULL,
      kind text NOT NULL,
      content jsonb,
      created_at timestamptz NOT NULL
    )`);
  await dataSource.query(`
    CREATE FUNCTION public.test_copy_queued_mail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO public.test_queued_mail (id, tenant_id, recipient, kind, content, created_at)
      VALUES (NEW.id, NEW.tenant_id, NEW.recipient, NEW.kind, NEW.content, NEW.created_at);
      RETURN NULL;
    END
    $$`);
  await dataSource.query(`
    CREATE TRIGGER outbox_test_copy_queued_mail AFTER INSERT ON public.outbox
      FOR EACH ROW EXECUTE FUNCTION public.test_copy_queued_mail()`);
}
