import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_PLAN_LIMITS } from '../../src/billing/plans/plan-catalogue';
import { TENANT_MIGRATIONS_TABLE } from '../../src/tenancy/migrations/tenant-schema-migrator';
import { addResourceModule, APP_MODULE_FILE, resourceModuleOf } from './app-module-edits';
import { ResourceConflictError, type ResourceChanges } from './resource-changes';
import { filesMatching, tenantMigrationFiles, typeScriptFiles } from './repository-files';
import { renderResourceFiles } from './resource-files';
import type { ResourceNames } from './resource-names';
import { formatSource } from './source-format';

/** Why the resource cannot be generated here: its folders, route, table or limit key are taken. */
function conflicts(root: string, names: ResourceNames, limit: number | undefined): string[] {
  const problems: string[] = [];
  for (const folder of [`src/${names.plural}`, `test/${names.plural}`]) {
    if (existsSync(path.join(root, folder))) problems.push(`${folder} exists`);
  }
  const migration = tenantMigrationFiles(root).find((m) => m.name === `Create${names.Entities}`);
  if (migration) problems.push(`${migration.file} exists`);
  const sources = typeScriptFiles(root, ['src']).filter((file) => !file.endsWith('.spec.ts'));
  for (const file of filesMatching(root, sources, new RegExp(`Controller\\(\\s*'${names.plural}'`))) {
    problems.push(`${file} already serves the route /${names.plural}`);
  }
  const tables = new RegExp(
    `@Entity\\(\\{\\s*name:\\s*'${names.table}'|CREATE TABLE (IF NOT EXISTS )?"?${names.table}\\b`,
  );
  for (const file of filesMatching(root, [...sources, ...typeScriptFiles(root, ['tenants'])], tables)) {
    problems.push(`${file} already has a tenant table ${names.table}`);
  }
  if (names.table === TENANT_MIGRATIONS_TABLE)
    problems.push(`${names.table} is the tenant migrations' own table`);
  if (limit !== undefined && (CORE_PLAN_LIMITS as readonly string[]).includes(names.entities)) {
    problems.push(`the plan limit ${names.entities} is one of the core's`);
  }
  return problems;
}

/**
 * Writes a tenant resource like the example one (entity, DTOs, service, controller, module, its
 * audit actions and optional plan limit, tenant migration, e2e test) and adds its module to
 * RESOURCE_MODULES. Checks everything first: it writes all of it or nothing.
 */
export async function generateResource(
  root: string,
  names: ResourceNames,
  limit: number | undefined,
  now = Date.now(),
): Promise<ResourceChanges> {
  const problems = conflicts(root, names, limit);
  if (problems.length > 0) {
    throw new ResourceConflictError(
      `Cannot generate ${names.plural}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  const latest = Math.max(0, ...tenantMigrationFiles(root).map((m) => m.version));
  const files = renderResourceFiles({ names, limit, migrationVersion: Math.max(now, latest + 1) });
  const formatted = await Promise.all(
    files.map(async (file) => ({ ...file, content: await formatSource(root, file.path, file.content) })),
  );
  const appModule = await formatSource(
    root,
    APP_MODULE_FILE,
    addResourceModule(readFileSync(path.join(root, APP_MODULE_FILE), 'utf8'), resourceModuleOf(names)),
  );

  const written: string[] = [];
  try {
    for (const file of formatted) {
      const target = path.join(root, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.content, { flag: 'wx' });
      written.push(file.path);
    }
  } catch (error) {
    for (const file of written) rmSync(path.join(root, file));
    for (const folder of [`src/${names.plural}`, `test/${names.plural}`]) {
      rmSync(path.join(root, folder), { recursive: true, force: true });
    }
    throw error;
  }
  writeFileSync(path.join(root, APP_MODULE_FILE), appModule);

  const notes = [`Run its test: npx jest test/${names.plural}`];
  if (limit !== undefined) {
    notes.push(
      `Plans that do not set limits.${names.entities} allow ${limit}: set it per plan in src/billing/plans/plans.json (or your PLANS_FILE)`,
    );
  }
  return { written, edited: [APP_MODULE_FILE], deleted: [], notes };
}
