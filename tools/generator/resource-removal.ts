import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { APP_MODULE_FILE, removeResourceModule, resourceModuleOf } from './app-module-edits';
import { filesMatching, tenantMigrationFiles, typeScriptFiles } from './repository-files';
import { ResourceConflictError, type ResourceChanges } from './resource-changes';
import type { ResourceNames } from './resource-names';
import { formatSource } from './source-format';

const PLANS_FILE = 'src/billing/plans/plans.json';

interface PlanCatalogueJson {
  plans: { limits?: Record<string, unknown> }[];
}

/** The built-in plans without the resource's limit (a limit no module registers stops the app). */
function plansWithout(root: string, key: string): string | undefined {
  const catalogue = JSON.parse(readFileSync(path.join(root, PLANS_FILE), 'utf8')) as PlanCatalogueJson;
  const setting = catalogue.plans.filter((plan) => plan.limits && key in plan.limits);
  for (const plan of setting) delete plan.limits?.[key];
  return setting.length > 0 ? JSON.stringify(catalogue) : undefined;
}

/**
 * Deletes a resource the generator made (or the example one): its folder, its e2e tests, its
 * `Create<Resources>` tenant migration, its entry in RESOURCE_MODULES and its limit in the built-in
 * plans; then names the files that still import from its folder or call its routes.
 */
export async function removeResource(root: string, names: ResourceNames): Promise<ResourceChanges> {
  if (!existsSync(path.join(root, 'src', names.plural))) {
    throw new ResourceConflictError(
      `There is no resource ${names.plural}: src/${names.plural} does not exist`,
    );
  }
  const appModule = removeResourceModule(
    readFileSync(path.join(root, APP_MODULE_FILE), 'utf8'),
    resourceModuleOf(names),
  );
  const plans = plansWithout(root, names.entities);
  const deleted = [
    `src/${names.plural}`,
    ...(existsSync(path.join(root, 'test', names.plural)) ? [`test/${names.plural}`] : []),
    ...tenantMigrationFiles(root)
      .filter((migration) => migration.name === `Create${names.Entities}`)
      .map((migration) => migration.file),
  ];

  for (const file of deleted) rmSync(path.join(root, file), { recursive: true });
  const edited: string[] = [];
  if (appModule.found) {
    writeFileSync(
      path.join(root, APP_MODULE_FILE),
      await formatSource(root, APP_MODULE_FILE, appModule.source),
    );
    edited.push(APP_MODULE_FILE);
  }
  if (plans) {
    writeFileSync(path.join(root, PLANS_FILE), await formatSource(root, PLANS_FILE, plans));
    edited.push(PLANS_FILE);
  }

  const remaining = typeScriptFiles(root, ['src', 'test', 'tenants', 'migrations', 'bench', 'tools']);
  const importing = filesMatching(
    root,
    remaining,
    new RegExp(`from '(\\.\\./|\\./)+(src/)?${names.plural}/`),
  );
  const calling = filesMatching(
    root,
    remaining,
    new RegExp(`/api/v1/${names.plural}\\b|['"\`]/${names.plural}\\b`),
  );
  const notes = [
    'Tenant schemas that already ran the deleted migration keep its table: on a deployed app, keep the migration and add one that drops the table.',
    ...importing.map((file) => `${file} still imports from src/${names.plural}/`),
    ...calling
      .filter((file) => !importing.includes(file))
      .map((file) => `${file} still calls /${names.plural}`),
  ];
  return { written: [], edited, deleted, notes };
}
