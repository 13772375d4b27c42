import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function migrationNames(directory: string, extension: '.ts' | '.js'): string[] {
  return readdirSync(path.join(ROOT, directory))
    .filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -extension.length))
    .sort();
}

// The built app runs whatever dist/ holds: a migration deleted from the source must not run from there.
describe('the build (npm run build)', () => {
  it.each(['migrations', 'tenants'])('holds exactly the migrations of %s/', (directory) => {
    expect(migrationNames(path.join('dist', directory), '.js')).toEqual(migrationNames(directory, '.ts'));
  });
});
