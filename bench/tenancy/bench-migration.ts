import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The "one new tenant migration" that `migration:run` applies to every schema in the bench: a small
 * table with a foreign key and an index. Its timestamp sorts after any real tenant migration.
 */
export class CreateBenchNotes9999999999999 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bench_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX bench_notes_project_idx ON bench_notes (project_id, created_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bench_notes`);
  }
}
