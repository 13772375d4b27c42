import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { queuedMails, TEST_PASSWORD } from '../support/accounts';
import { uniqueSlug } from '../support/tenants';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  CLIENT_TOUR_DIR,
  CLIENT_TOUR_FILE,
  GENERATED_SCHEMA_FILE,
  loadClientTour,
  SCHEMA_GENERATOR_FILE,
} from './client-tour';

/** Type errors of the tour against the generated types, one line each. */
function typeErrorsOfTour(): string[] {
  const configFile = path.join(CLIENT_TOUR_DIR, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  const program = ts.createProgram({ rootNames: [CLIENT_TOUR_FILE], options: parsed.options });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(CLIENT_TOUR_DIR, diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
}

/**
 * A TypeScript client generated from the running app's /docs-json (openapi-typescript's types,
 * openapi-fetch's client) type-checks and drives signup, login, project CRUD and members: the
 * document cannot drift from the API without this test failing, at compile time or at run time.
 */
describe('a client generated from the OpenAPI document', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
    // Asynchronously: the child fetches the document from this process's server.
    await promisify(execFile)(process.execPath, [
      SCHEMA_GENERATOR_FILE,
      `${testApp.url}/docs-json`,
      GENERATED_SCHEMA_FILE,
    ]);
  });
  afterAll(() => testApp?.close());

  it('type-checks against the types generated from the live document', () => {
    expect(typeErrorsOfTour()).toEqual([]);
  });

  it('signs up, logs in, creates, lists, gets, patches and deletes a project, and manages members', async () => {
    const slug = uniqueSlug();
    const tour = loadClientTour();
    const log = await tour({
      baseUrl: testApp.url,
      slug,
      password: TEST_PASSWORD,
      async invitationTokenFor(email) {
        const mails = (await queuedMails(testApp.app, email)).filter((mail) => mail.kind === 'invitation');
        return mails[mails.length - 1].content.data.token;
      },
    });

    expect(log.signedUp.tenant.slug).toBe(slug);
    expect(log.loggedIn.user).toEqual(log.signedUp.user);
    expect(log.listed).toEqual({ items: [log.created], total: 1, page: 1, limit: 10 });
    expect(log.fetched).toEqual(log.created);
    expect(log.patched).toMatchObject({ id: log.created.id, name: 'Website relaunch, phase 2' });
    expect(log.afterDelete).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    expect(log.membersBefore).toEqual([log.signedUp.user]);
    expect(log.invited).toMatchObject({ email: `invitee@${slug}.example.com`, role: 'member' });
    expect(log.joined.user).toMatchObject({ email: log.invited.email, role: 'member' });
    expect(log.promoted).toEqual({ ...log.joined.user, role: 'admin' });
    expect(log.membersAfter).toEqual([log.signedUp.user]);
  });
});
