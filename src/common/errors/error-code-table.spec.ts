import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineErrorCodes } from './error-code';
import {
  collectErrorCodes,
  ERROR_CODE_TABLE_FILE,
  findFilesCalling,
  loadDeclaredErrorCodes,
  renderErrorCodeTable,
  SOURCE_ROOT,
} from './error-code-table';

describe('the error-code table', () => {
  const declared = loadDeclaredErrorCodes();

  it('is committed as `npm run docs:errors` writes it', () => {
    expect(readFileSync(ERROR_CODE_TABLE_FILE, 'utf8')).toBe(renderErrorCodeTable(declared));
  });

  it('holds every code the filter, the body parser, validation and the features raise', () => {
    expect(declared.map(({ error }) => error.code)).toEqual(
      expect.arrayContaining([
        'VALIDATION_FAILED',
        'MALFORMED_JSON',
        'PAYLOAD_TOO_LARGE',
        'NOT_FOUND',
        'INTERNAL',
        'UNAUTHORIZED',
        'RATE_LIMITED',
        'TENANT_REQUIRED',
        'INVALID_CREDENTIALS',
        'PLAN_LIMIT_REACHED',
        'NOT_READY',
      ]),
    );
    for (const { error } of declared) {
      expect(error.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.meaning.length).toBeGreaterThan(10);
    }
  });

  it('finds them where they are declared: every defineErrorCodes call is in a *.errors.ts file', () => {
    const callers = findFilesCalling('defineErrorCodes(', SOURCE_ROOT).map((file) =>
      path.relative(SOURCE_ROOT, file),
    );
    const definitionAndTests = ['common/errors/error-code.ts', 'common/errors/error-code-table.spec.ts'];
    expect(
      callers.filter((file) => !definitionAndTests.includes(file) && !file.endsWith('.errors.ts')),
    ).toEqual([]);
  });

  it('refuses a code declared twice', () => {
    const first = defineErrorCodes({ SOMETHING_WRONG: { status: 400, meaning: 'Something was wrong' } });
    const second = defineErrorCodes({
      SOMETHING_WRONG: { status: 409, meaning: 'Something else was wrong' },
    });
    expect(() =>
      collectErrorCodes([
        { file: 'a/a.errors.ts', exported: { FIRST: first } },
        { file: 'b/b.errors.ts', exported: { SECOND: second } },
      ]),
    ).toThrow('SOMETHING_WRONG is declared in a/a.errors.ts and in b/b.errors.ts');
  });
});
