import { ValidationFailedException } from '../errors/app.exception';
import { malformedStrings, WellFormedStringsPipe } from './well-formed-strings.pipe';

describe('WellFormedStringsPipe', () => {
  const pipe = new WellFormedStringsPipe();
  const refusal = (value: unknown, type: 'body' | 'query' | 'param', data?: string) => {
    try {
      pipe.transform(value, { type, data });
    } catch (error) {
      if (error instanceof ValidationFailedException) return error.details;
      throw error;
    }
    return undefined;
  };

  it('lets well-formed text through untouched, emoji and all', () => {
    const body = { name: 'Café 🚀', tags: ['ok'], nested: { note: '' }, count: 3 };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });

  it('names each field with a NUL byte or a lone surrogate, nested ones by their path', () => {
    expect(
      refusal({ name: 'a\u0000b', items: [{ title: 'fine' }, { title: 'x\ud800' }], ok: 'yes' }, 'body'),
    ).toEqual([
      { field: 'name', message: 'name must not contain NUL characters' },
      { field: 'items.1.title', message: 'items.1.title must be well-formed Unicode (no lone surrogates)' },
    ]);
    expect(refusal({ x: '\udc00 trailing half' }, 'body')).toHaveLength(1);
  });

  it('checks query and path parameters, named by the parameter', () => {
    expect(refusal('a\u0000', 'param', 'id')).toEqual([
      { field: 'id', message: 'id must not contain NUL characters' },
    ]);
    expect(refusal({ plan: '\u0000' }, 'query')).toEqual([
      { field: 'plan', message: 'plan must not contain NUL characters' },
    ]);
  });

  it('refuses property names with a NUL byte', () => {
    expect(refusal({ meta: { 'k\u0000': 'v' } }, 'body')).toEqual([
      { field: 'meta', message: 'property names in meta must not contain NUL characters' },
    ]);
  });

  it('leaves other parameters (the current user, custom decorators) alone', () => {
    expect(pipe.transform({ name: 'a\u0000' }, { type: 'custom' })).toEqual({ name: 'a\u0000' });
  });

  it('walks deeply nested input without exhausting the stack, and names 50 fields at most', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(malformedStrings(deep)).toHaveLength(1);
    expect(malformedStrings(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(50);
  });
});
