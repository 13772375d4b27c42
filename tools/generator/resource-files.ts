import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { ResourceNames } from './resource-names';

const TEMPLATES_DIR = path.join(__dirname, 'templates');

export interface ResourceSpec {
  names: ResourceNames;
  /** The default of the resource's plan limit, or undefined for a resource without one. */
  limit: number | undefined;
  /** The 13-digit timestamp of its tenant migration. */
  migrationVersion: number;
}

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  content: string;
}

export const migrationClassOf = (names: ResourceNames, version: number) =>
  `Create${names.Entities}${version}`;

/** Each template, and the file it becomes. */
function targets({ names, migrationVersion }: ResourceSpec): [template: string, file: string][] {
  const folder = `src/${names.plural}`;
  return [
    ['entity.ts.hbs', `${folder}/${names.singular}.entity.ts`],
    ['create-dto.ts.hbs', `${folder}/dto/create-${names.singular}.dto.ts`],
    ['update-dto.ts.hbs', `${folder}/dto/update-${names.singular}.dto.ts`],
    ['page-dto.ts.hbs', `${folder}/dto/${names.singular}-page.dto.ts`],
    ['registrations.ts.hbs', `${folder}/${names.plural}.registrations.ts`],
    ['service.ts.hbs', `${folder}/${names.plural}.service.ts`],
    ['controller.ts.hbs', `${folder}/${names.plural}.controller.ts`],
    ['module.ts.hbs', `${folder}/${names.plural}.module.ts`],
    ['migration.ts.hbs', `tenants/${migrationVersion}-Create${names.Entities}.ts`],
    ['e2e-spec.ts.hbs', `test/${names.plural}/${names.plural}.e2e-spec.ts`],
  ];
}

/** The files of a new resource, as the templates render them (not yet formatted). */
export function renderResourceFiles(spec: ResourceSpec): SourceFile[] {
  const { names, limit, migrationVersion } = spec;
  const context = {
    ...names,
    WordsPlural: names.wordsPlural.charAt(0).toUpperCase() + names.wordsPlural.slice(1),
    limit: limit ?? false,
    migrationClass: migrationClassOf(names, migrationVersion),
  };
  const handlebars = Handlebars.create();
  return targets(spec).map(([template, file]) => ({
    path: file,
    content: handlebars.compile(readFileSync(path.join(TEMPLATES_DIR, template), 'utf8'), {
      noEscape: true,
      strict: true,
    })(context),
  }));
}
