export const RESERVED_SLUGS: readonly string[] = [
  'www',
  'api',
  'app',
  'admin',
  'public',
  'docs',
  'health',
  'mail',
  'billing',
  'static',
];

const SLUG_PATTERN = /^[a-z][a-z0-9-]{2,29}$/;

/** Why a slug is not acceptable, or undefined when it is. */
export function slugProblem(slug: string): string | undefined {
  if (!SLUG_PATTERN.test(slug)) {
    return 'slug must be 3 to 30 characters: a lower-case letter, then lower-case letters, digits or hyphens';
  }
  if (slug.endsWith('-')) return 'slug must not end with a hyphen';
  if (RESERVED_SLUGS.includes(slug)) return `slug "${slug}" is reserved`;
  return undefined;
}

export function isValidSlug(slug: string): boolean {
  return slugProblem(slug) === undefined;
}
