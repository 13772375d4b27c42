import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RevocableInvitations1764000000730 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE invitations ADD COLUMN revoked_at timestamptz`);
    await queryRunner.query(`CREATE INDEX invitations_invited_by_idx ON invitations (invited_by)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX invitations_invited_by_idx`);
    await queryRunner.query(`ALTER TABLE invitations DROP COLUMN revoked_at`);
  }
}
