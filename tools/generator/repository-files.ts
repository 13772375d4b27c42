import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The TypeScript files under `directories` of the repository (node_modules and dist left out). */
export function typeScriptFiles(root: string, directories: string[]): string[] {
  return directories
    .filter((directory) => existsSync(path.join(root, directory)))
    .flatMap((directory) =>
      readdirSync(path.join(root, directory), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.split(path.sep).includes('node_modules'))
        .map((file) => path.posix.join(directory, file.split(path.sep).join('/'))),
    );
}

/** The files among `files` whose text matches `pattern`. */
export function filesMatching(root: string, files: string[], pattern: RegExp): string[] {
  return files.filter((file) => pattern.test(readFileSync(path.join(root, file), 'utf8')));
}

/** Tenant migration files, as `tenants/<13-digit version>-<Name>.ts`. */
export function tenantMigrationFiles(root: string): { file: string; version: number; name: string }[] {
  return readdirSync(path.join(root, 'tenants')).flatMap((file) => {
    const match = /^(\d{13})-([A-Za-z0-9]+)\.ts$/.exec(file);
    return match ? [{ file: `tenants/${file}`, version: Number(match[1]), name: match[2] }] : [];
  });
}
