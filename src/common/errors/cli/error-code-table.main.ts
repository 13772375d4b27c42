import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../../cli/run-command';
import { ERROR_CODE_TABLE_FILE, loadDeclaredErrorCodes, renderErrorCodeTable } from '../error-code-table';

/** `npm run docs:errors`: writes docs/error-codes.md from the `*.errors.ts` files. */
runCommand('docs:errors', () => {
  const declared = loadDeclaredErrorCodes();
  writeFileSync(ERROR_CODE_TABLE_FILE, renderErrorCodeTable(declared));
  process.stdout.write(
    `${declared.length} codes written to ${path.relative(process.cwd(), ERROR_CODE_TABLE_FILE)}\n`,
  );
  return Promise.resolve(0);
});
