import type { Pool } from 'pg';
import type { Role } from '../../src/common/access/access.decorators';

/** A page of projects in the API's JSON shape (Page<Project>). */
export interface FloorPage {
  items: { id: string; name: string; description: string | null; createdAt: Date; updatedAt: Date }[];
  total: number;
  page: number;
  limit: number;
}

interface PageRow {
  role: Role;
  total: number;
  id: string | null;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The API's default page: `?page=1&limit=20`, newest first. */
const PAGE = 1;
const LIMIT = 20;

/**
 * One statement, schema-qualified: the caller's role (the membership `sub` with its session `sid`
 * not revoked), the default page of projects and their total. No row: the caller is not a live
 * member. A row without an id: a member of a tenant with no projects.
 */
function pageStatement(schema: string): string {
  return `WITH caller AS (
    SELECT m.role FROM "${schema}".memberships m
    JOIN "${schema}".sessions s ON s.id = $2 AND s.membership_id = m.id AND s.revoked_at IS NULL
    WHERE m.id = $1
  ), page AS (
    SELECT id, name, description, created_at, updated_at FROM "${schema}".projects
    ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4
  )
  SELECT caller.role, (SELECT count(*)::int FROM "${schema}".projects) AS total, page.*
  FROM caller LEFT JOIN page ON true
  ORDER BY page.created_at DESC, page.id DESC`;
}

/** The statement of each schema, built once. */
export class FloorPageQuery {
  private readonly statements = new Map<string, string>();

  constructor(private readonly pool: Pool) {}

  /** The page, or undefined when the membership or its session is gone. */
  async read(schema: string, membershipId: string, sessionId: string): Promise<FloorPage | undefined> {
    let statement = this.statements.get(schema);
    if (statement === undefined) {
      statement = pageStatement(schema);
      this.statements.set(schema, statement);
    }
    const { rows } = await this.pool.query<PageRow>(statement, [
      membershipId,
      sessionId,
      LIMIT,
      (PAGE - 1) * LIMIT,
    ]);
    if (rows.length === 0) return undefined;
    const items = rows
      .filter((row): row is PageRow & { id: string } => row.id !== null)
      .map((row) => ({
        id: row.id,
        name: row.name,
        description: row.description,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }));
    return { items, total: rows[0].total, page: PAGE, limit: LIMIT };
  }
}
