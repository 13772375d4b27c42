import 'reflect-metadata';
import { runCommand } from '../../common/cli/run-command';
import { loadAppConfig } from '../../config';
import { runMigrationFilesCommand } from './migration-files.command';

const [verb, ...argv] = process.argv.slice(2);

async function main(): Promise<number> {
  if (verb !== 'create' && verb !== 'generate') {
    process.stderr.write('The first argument is create or generate\n');
    return 2;
  }
  return runMigrationFilesCommand(verb, argv, loadAppConfig(), process.stdout);
}

runCommand(`migration:${verb}`, main);
