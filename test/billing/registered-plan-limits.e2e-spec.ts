import path from 'node:path';
import request from 'supertest';
import { registerAuditActions } from '../../src/audit/audit-actions';
import { registerPlanLimit } from '../../src/billing/plans/plan-limit-registry';
import { childEnvironment, freePort, startChild } from '../support/child-processes';
import { plansFileWith } from '../support/plans-file';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseEnvironment } from '../support/test-database';

// As a feature module's registrations file does, at import, before the app module is built.
registerPlanLimit({ key: 'fixtureNotes', default: 7, description: 'Notes a tenant can have' });
registerAuditActions({ written: 'fixture_note.written' });

describe('limits and audit actions that feature modules register', () => {
  it('give every plan the default of a limit its plans file does not set, and are documented', async () => {
    const testApp = await startTestApp();
    try {
      const plans = (await request(testApp.url).get('/api/v1/plans')).body as { limits: object }[];
      expect(plans.length).toBeGreaterThan(0);
      for (const plan of plans) expect(plan.limits).toMatchObject({ fixtureNotes: 7 });

      const { components } = (await request(testApp.url).get('/docs-json')).body;
      expect(components.schemas.PlanLimitsDto.properties.fixtureNotes).toMatchObject({
        type: 'integer',
        minimum: 0,
        description: 'Notes a tenant can have',
      });
      expect(components.schemas.AuditEntry.properties.action.enum).toEqual(
        expect.arrayContaining(['auth.sign_in', 'plan.changed', 'fixture_note.written']),
      );
    } finally {
      await testApp.close();
    }
  });

  it('take the value a plans file sets', async () => {
    const testApp = await startTestApp({
      env: { PLANS_FILE: plansFileWith({ fixtureNotes: 2 }) },
    });
    try {
      const plans = (await request(testApp.url).get('/api/v1/plans')).body as { limits: object }[];
      expect(plans.length).toBeGreaterThan(0);
      for (const plan of plans) expect(plan.limits).toMatchObject({ fixtureNotes: 2 });
    } finally {
      await testApp.close();
    }
  });

  it('stop the built app from starting when a plans file sets a limit no module registers, naming it', async () => {
    const database = await createTestDatabase();
    try {
      const started = startChild(process.execPath, ['dist/src/main.js'], {
        cwd: path.join(__dirname, '..', '..'),
        env: childEnvironment({
          PORT: String(await freePort()),
          ...testDatabaseEnvironment(database.name),
          PLANS_FILE: plansFileWith({ gadgets: 5 }),
        }),
      });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(
        'plans.0.limits.gadgets: no module registers this limit (registered: members, requestsPerMinute',
      );
    } finally {
      await database.drop();
    }
  });
});
