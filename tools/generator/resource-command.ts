import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppModuleEditError } from './app-module-edits';
import { ResourceConflictError, type ResourceChanges } from './resource-changes';
import { generateResource } from './resource-generator';
import { ResourceNameError, resourceNames } from './resource-names';
import { removeResource } from './resource-removal';

const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

export const RESOURCE_USAGE = `Usage:
  npm run generate:resource -- <name> [--limit <default>] [--singular <name>]
  npm run remove:resource -- <name> [--singular <name>]
<name> is a lower-case plural, kebab-case allowed: invoices, support-tickets.
--limit     gives the resource a plan limit (the camelCase name, e.g. supportTickets) that plans
            which do not set it allow <default> of.
--singular  for a plural that is not the singular plus -s, -es or -ies (people: --singular person).
`;

export interface CommandOutput {
  write(text: string): void;
}

function report(changes: ResourceChanges, output: CommandOutput): void {
  for (const file of changes.written) output.write(`Wrote ${file}\n`);
  for (const file of changes.edited) output.write(`Edited ${file}\n`);
  for (const file of changes.deleted) output.write(`Deleted ${file}\n`);
  for (const note of changes.notes) output.write(`Note: ${note}\n`);
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new ResourceNameError(`--limit takes a whole number, not "${value}"`);
  return Number(value);
}

/** `generate|remove <name> [options]`; returns the exit code: 2 for bad arguments, 1 for a conflict. */
export async function runResourceCommand(
  verb: string | undefined,
  argv: string[],
  output: CommandOutput,
  root = REPOSITORY_ROOT,
): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { limit: { type: 'string' }, singular: { type: 'string' } },
    });
    if ((verb !== 'generate' && verb !== 'remove') || positionals.length !== 1) {
      output.write(RESOURCE_USAGE);
      return 2;
    }
    if (verb === 'remove' && values.limit !== undefined)
      throw new ResourceNameError('--limit is for generate');
    const names = resourceNames(positionals[0], values.singular);
    const changes =
      verb === 'generate'
        ? await generateResource(root, names, parseLimit(values.limit))
        : await removeResource(root, names);
    report(changes, output);
    return 0;
  } catch (error) {
    if (
      error instanceof ResourceNameError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      output.write(`${(error as Error).message}\n\n${RESOURCE_USAGE}`);
      return 2;
    }
    if (error instanceof ResourceConflictError || error instanceof AppModuleEditError) {
      output.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
