/** Every name a tenant resource goes by, derived from its plural kebab-case name (`support-tickets`). */
export interface ResourceNames {
  /** `support-tickets`: folder, file prefix and route. */
  plural: string;
  /** `support-ticket`: entity and DTO file prefix. */
  singular: string;
  /** `SupportTicket`: the entity class. */
  Entity: string;
  /** `SupportTickets`: prefix of the module, service and controller classes. */
  Entities: string;
  /** `supportTicket`: a variable holding one. */
  entity: string;
  /** `supportTickets`: a variable holding many, and the plan limit key. */
  entities: string;
  /** `SUPPORT_TICKET`: prefix of the audit actions constant. */
  ENTITY: string;
  /** `SUPPORT_TICKETS`: prefix of the plan limit constant. */
  ENTITIES: string;
  /** `support_tickets`: the tenant table. */
  table: string;
  /** `support_ticket`: what its audit actions start with (`support_ticket.created`). */
  auditPrefix: string;
  /** `support ticket` and `support tickets`, for sentences. */
  words: string;
  wordsPlural: string;
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
// Table names get `_created_at_idx` appended; PostgreSQL cuts identifiers at 63 bytes.
const MAX_LENGTH = 40;
// A singular that is one of these could not name a variable.
const RESERVED_WORDS = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);

export class ResourceNameError extends Error {}

/** The singular of an English plural, for the common endings; irregular ones need `--singular`. */
export function singularOf(plural: string): string {
  if (/[^aeiou]ies$/.test(plural)) return `${plural.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(plural)) return plural.slice(0, -2);
  if (/[^su]s$/.test(plural) && !/is$/.test(plural)) return plural.slice(0, -1);
  throw new ResourceNameError(`"${plural}" does not look like a plural: give its singular with --singular`);
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const pascal = (kebab: string) => kebab.split('-').map(capitalised).join('');
const camel = (kebab: string) => {
  const name = pascal(kebab);
  return name.charAt(0).toLowerCase() + name.slice(1);
};
const snake = (kebab: string) => kebab.replaceAll('-', '_');

/**
 * Checks a resource name (lower-case plural, kebab-case allowed) and derives the others; `singular`
 * overrides the derived singular (`people` → `person`).
 */
export function resourceNames(plural: string, singular?: string): ResourceNames {
  if (!KEBAB_CASE.test(plural) || plural.length > MAX_LENGTH) {
    throw new ResourceNameError(
      `"${plural}" is not a resource name: lower-case letters and digits in kebab-case, at most ${MAX_LENGTH} characters (e.g. invoices, support-tickets)`,
    );
  }
  const segments = plural.split('-');
  const last = segments.pop() ?? plural;
  const one = singular ?? [...segments, singularOf(last)].join('-');
  if (!KEBAB_CASE.test(one) || one === plural) {
    throw new ResourceNameError(`"${one}" is not a singular of "${plural}" in kebab-case`);
  }
  if (RESERVED_WORDS.has(camel(one)) || RESERVED_WORDS.has(camel(plural))) {
    throw new ResourceNameError(`"${plural}" would name variables after a JavaScript reserved word`);
  }
  return {
    plural,
    singular: one,
    Entity: pascal(one),
    Entities: pascal(plural),
    entity: camel(one),
    entities: camel(plural),
    ENTITY: snake(one).toUpperCase(),
    ENTITIES: snake(plural).toUpperCase(),
    table: snake(plural),
    auditPrefix: snake(one),
    words: one.replaceAll('-', ' '),
    wordsPlural: plural.replaceAll('-', ' '),
  };
}
