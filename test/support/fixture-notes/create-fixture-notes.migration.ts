import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant table that only tests have, applied after every migration of tenants/. */
export class CreateFixtureNotes1999999990000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE fixture_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE fixture_notes`);
  }
}
