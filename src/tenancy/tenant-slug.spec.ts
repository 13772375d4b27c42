import { RESERVED_SLUGS, slugProblem } from './tenant-slug';

describe('slugProblem', () => {
  it.each(['acme', 'a1b', 'acme-corp', 'x'.repeat(30), 'abc-1'])('accepts %s', (slug) => {
    expect(slugProblem(slug)).toBeUndefined();
  });

  it.each([
    ['ab', 'too short'],
    ['x'.repeat(31), 'too long'],
    ['1acme', 'starts with a digit'],
    ['-acme', 'starts with a hyphen'],
    ['Acme', 'upper case'],
    ['ac_me', 'underscore'],
    ['ac me', 'space'],
    ['acmé', 'non-ASCII'],
  ])('rejects %s (%s)', (slug) => {
    expect(slugProblem(slug)).toMatch(/3 to 30 characters/);
  });

  it('rejects a trailing hyphen', () => {
    expect(slugProblem('acme-')).toBe('slug must not end with a hyphen');
  });

  it.each(RESERVED_SLUGS.filter((slug) => slug.length >= 3))('rejects the reserved word %s', (slug) => {
    expect(slugProblem(slug)).toBe(`slug "${slug}" is reserved`);
  });

  it('reserves exactly the words of the API contract', () => {
    expect([...RESERVED_SLUGS].sort()).toEqual(
      ['admin', 'api', 'app', 'billing', 'docs', 'health', 'mail', 'public', 'static', 'www'].sort(),
    );
  });
});
