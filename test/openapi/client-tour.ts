import path from 'node:path';

/**
 * What the typed-client tour (client/typed-client-tour.ts) is given and what it saw, in plain types:
 * the tour assigns the generated client's results to them, so a document that drifts from them fails
 * its type check.
 */
export interface TourInput {
  baseUrl: string;
  slug: string;
  password: string;
  /** The token of the invitation mailed to this address. */
  invitationTokenFor(email: string): Promise<string>;
}

interface Member {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'member';
}

interface Project {
  id: string;
  name: string;
  description?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TourLog {
  signedUp: { tenant: { id: string; slug: string; plan: string }; user: Member; accessToken: string };
  loggedIn: { accessToken: string; refreshToken: string; user: Member };
  created: Project;
  listed: { items: Project[]; total: number; page: number; limit: number };
  fetched: Project;
  patched: Project;
  afterDelete: { status: number; code: string; requestId?: string };
  membersBefore: Member[];
  invited: { id: string; email: string; role: 'admin' | 'member'; expiresAt: string };
  joined: { accessToken: string; user: Member };
  promoted: Member;
  membersAfter: Member[];
}

export type ClientTour = (input: TourInput) => Promise<TourLog>;

export const CLIENT_TOUR_DIR = path.join(__dirname, 'client');
export const CLIENT_TOUR_FILE = path.join(CLIENT_TOUR_DIR, 'typed-client-tour.ts');
/** Writes the types of a document with openapi-typescript. */
export const SCHEMA_GENERATOR_FILE = path.join(CLIENT_TOUR_DIR, 'generate-api-schema.mjs');
/** Written by the e2e test from the live /docs-json; gitignored. */
export const GENERATED_SCHEMA_FILE = path.join(CLIENT_TOUR_DIR, 'generated', 'api-schema.d.ts');

/**
 * The tour, loaded at run time: it imports the generated types, so it stays out of the project's own
 * type check (tsconfig.json excludes its folder) and is type-checked by the test once they exist.
 */
export function loadClientTour(): ClientTour {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(CLIENT_TOUR_FILE) as { tourProjectsAndMembers: ClientTour }).tourProjectsAndMembers;
}
