import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from './error-code';

/** `src/`, as .ts from source, .js when built. */
export const SOURCE_ROOT = path.join(__dirname, '..', '..');
export const ERROR_CODE_TABLE_FILE = path.join(SOURCE_ROOT, '..', 'docs', 'error-codes.md');
const EXTENSION = path.extname(__filename);

export interface DeclaredErrorCode {
  error: ErrorCode;
  /** Where it is declared, relative to the project root. */
  file: string;
}

export interface ErrorCodeModule {
  file: string;
  exported: Record<string, unknown>;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const entryPath = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(entryPath) : [entryPath];
  });
}

/** Source files under `root` whose text contains `text`. */
export function findFilesCalling(text: string, root: string): string[] {
  return filesUnder(root)
    .filter((file) => file.endsWith(EXTENSION) && !file.endsWith('.d.ts'))
    .filter((file) => readFileSync(file, 'utf8').includes(text));
}

/** Every code exported by the modules, by code; a code declared twice is an error. */
export function collectErrorCodes(modules: ErrorCodeModule[]): DeclaredErrorCode[] {
  const byCode = new Map<string, DeclaredErrorCode>();
  for (const { file, exported } of modules) {
    const groups = Object.values(exported).filter(
      (value): value is Record<string, unknown> => typeof value === 'object' && value !== null,
    );
    const errors = groups
      .flatMap((group) => Object.values(group))
      .filter((value): value is ErrorCode => value instanceof ErrorCode);
    for (const error of errors) {
      const earlier = byCode.get(error.code);
      if (earlier && earlier.error !== error) {
        throw new Error(`${error.code} is declared in ${earlier.file} and in ${file}`);
      }
      byCode.set(error.code, { error, file });
    }
  }
  return [...byCode.values()].sort(
    (a, b) => a.error.status - b.error.status || a.error.code.localeCompare(b.error.code),
  );
}

/** The codes of every `*.errors.ts` file under `root`. */
export function loadDeclaredErrorCodes(root = SOURCE_ROOT): DeclaredErrorCode[] {
  const files = filesUnder(root).filter((file) => file.endsWith(`.errors${EXTENSION}`));
  return collectErrorCodes(
    files.map((file) => ({
      file: path.relative(path.join(root, '..'), file).split(path.sep).join('/'),
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported: require(file) as Record<string, unknown>,
    })),
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/error-codes.md: the table of every code, by status. */
export function renderErrorCodeTable(declared: DeclaredErrorCode[]): string {
  const rows = declared.map(
    ({ error, file }) => `| \`${error.code}\` | ${error.status} | ${cell(error.meaning)} | \`${file}\` |`,
  );
  return [
    '# Error codes',
    '',
    'Every error body carries one of these codes (see [api.md](api.md#errors)). Generated from the',
    '`*.errors.ts` files by `npm run docs:errors`; a unit test fails when this file is out of date.',
    '',
    '| code | status | meaning | declared in |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
