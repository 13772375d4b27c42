import 'reflect-metadata';
import { ConfigValidationError, loadAppConfig } from '../../config';
import { runMigrationFilesCommand } from './migration-files.command';

const [verb, ...argv] = process.argv.slice(2);

async function main(): Promise<number> {
  if (verb !== 'create' && verb !== 'generate') {
    process.stderr.write('The first argument is create or generate\n');
    return 2;
  }
  return runMigrationFilesCommand(verb, argv, loadAppConfig(), process.stdout);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigValidationError ? error.message : `migration:${verb} failed: ${(error as Error).message}`}\n`,
    );
    process.exit(1);
  },
);
