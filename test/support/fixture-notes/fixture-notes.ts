import type { TestAppOptions } from '../test-app';
import { CreateFixtureNotes1999999990000 } from './create-fixture-notes.migration';
import { FixtureNotesController } from './fixture-notes.controller';

/** `startTestApp({ ...fixtureNotes })`: tenants get a `fixture_notes` table, served at /fixture-notes. */
export const fixtureNotes = {
  tenantMigrations: [CreateFixtureNotes1999999990000],
  controllers: [FixtureNotesController],
} satisfies TestAppOptions;
