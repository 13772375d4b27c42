import createClient, { type Client } from 'openapi-fetch';
import type { ClientTour, TourLog } from '../client-tour';
import type { paths } from './generated/api-schema';

function tenantClient(baseUrl: string, slug: string, accessToken?: string): Client<paths> {
  const headers: Record<string, string> = { 'X-Tenant': slug };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return createClient<paths>({ baseUrl, headers });
}

/** The data of a successful call, or an error naming the call and what came back instead. */
function expectData<T>(call: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${call}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

function expectStatus(call: string, result: { error?: unknown; response: Response }, status: number): void {
  if (result.response.status !== status) {
    throw new Error(`${call}: ${result.response.status} ${JSON.stringify(result.error)}, not ${status}`);
  }
}

/**
 * Signup, login, project CRUD and members, driven only through a client typed by the types that
 * openapi-typescript generates from the app's /docs-json (test/openapi/openapi-client.e2e-spec.ts
 * writes them to ./generated and type-checks this file against them before running it).
 */
export const tourProjectsAndMembers: ClientTour = async (input) => {
  const { baseUrl, slug, password } = input;
  const ownerEmail = `owner@${slug}.example.com`;

  const anonymous = createClient<paths>({ baseUrl });
  const signedUp = expectData(
    'signup',
    await anonymous.POST('/api/v1/signup', {
      body: { organizationName: `Org ${slug}`, slug, name: 'Owner Person', email: ownerEmail, password },
    }),
  );

  const login = expectData(
    'login',
    await tenantClient(baseUrl, slug).POST('/api/v1/auth/login', { body: { email: ownerEmail, password } }),
  );
  // The answer is a session, or a challenge when two-factor sign-in is on (it is not for this owner).
  if ('mfaRequired' in login) throw new Error('login: asked for a second factor that is not on');
  const loggedIn = login;
  const owner = tenantClient(baseUrl, slug, loggedIn.accessToken);

  const created = expectData(
    'create project',
    await owner.POST('/api/v1/projects', { body: { name: 'Website relaunch', description: 'Q3' } }),
  );
  const listed = expectData(
    'list projects',
    await owner.GET('/api/v1/projects', { params: { query: { page: 1, limit: 10 } } }),
  );
  const byId = { params: { path: { id: created.id } } };
  const fetched = expectData('get project', await owner.GET('/api/v1/projects/{id}', byId));
  const patched = expectData(
    'patch project',
    await owner.PATCH('/api/v1/projects/{id}', { ...byId, body: { name: 'Website relaunch, phase 2' } }),
  );
  expectStatus('delete project', await owner.DELETE('/api/v1/projects/{id}', byId), 204);
  const gone = await owner.GET('/api/v1/projects/{id}', byId);
  const error = gone.error;
  if (error?.statusCode !== 404) throw new Error(`get deleted project: ${gone.response.status}, not a 404`);
  // Each answer declares its codes, so the 404 of this route can only be one of these.
  const notFound: 'NOT_FOUND' | 'TENANT_NOT_FOUND' = error.code;
  const afterDelete = { status: gone.response.status, code: notFound, requestId: error.requestId };

  const membersBefore = expectData('list members', await owner.GET('/api/v1/members'));
  const inviteeEmail = `invitee@${slug}.example.com`;
  const invited = expectData(
    'invite',
    await owner.POST('/api/v1/invitations', { body: { email: inviteeEmail, role: 'member' } }),
  );
  const joined = expectData(
    'accept invitation',
    await tenantClient(baseUrl, slug).POST('/api/v1/invitations/accept', {
      body: { token: await input.invitationTokenFor(inviteeEmail), name: 'Invited Person', password },
    }),
  );
  const member = { params: { path: { id: joined.user.id } } };
  const promoted = expectData(
    'change role',
    await owner.PATCH('/api/v1/members/{id}', { ...member, body: { role: 'admin' } }),
  );
  expectStatus('remove member', await owner.DELETE('/api/v1/members/{id}', member), 204);
  const membersAfter = expectData('list members again', await owner.GET('/api/v1/members'));

  const log: TourLog = {
    signedUp,
    loggedIn,
    created,
    listed,
    fetched,
    patched,
    afterDelete,
    membersBefore,
    invited,
    joined,
    promoted,
    membersAfter,
  };
  return log;
};
