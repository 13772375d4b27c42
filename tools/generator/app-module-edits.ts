import ts from 'typescript';
import type { ResourceNames } from './resource-names';

export const APP_MODULE_FILE = 'src/app.module.ts';
const LIST = 'RESOURCE_MODULES';

export class AppModuleEditError extends Error {}

export interface ResourceModuleRef {
  /** e.g. InvoicesModule */
  className: string;
  /** e.g. ./invoices/invoices.module */
  specifier: string;
}

/** How app.module.ts names a resource's module. */
export function resourceModuleOf(names: ResourceNames): ResourceModuleRef {
  return { className: `${names.Entities}Module`, specifier: `./${names.plural}/${names.plural}.module` };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function apply(source: string, edits: Edit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), source);
}

function parse(source: string) {
  const file = ts.createSourceFile(APP_MODULE_FILE, source, ts.ScriptTarget.Latest, true);
  let list: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === LIST &&
      node.initializer &&
      ts.isArrayLiteralExpression(node.initializer)
    ) {
      list = node.initializer;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!list) {
    throw new AppModuleEditError(
      `${APP_MODULE_FILE} has no ${LIST} array: the generator registers modules there`,
    );
  }
  const imports = file.statements.filter(ts.isImportDeclaration);
  const specifierOf = (declaration: ts.ImportDeclaration) =>
    (declaration.moduleSpecifier as ts.StringLiteral).text;
  return { file, list, imports, specifierOf };
}

function listText(elements: string[]): string {
  return `[${elements.join(', ')}]`;
}

/** Imports the module and appends it to RESOURCE_MODULES (next to the imports of the modules already there). */
export function addResourceModule(source: string, ref: ResourceModuleRef): string {
  const { file, list, imports, specifierOf } = parse(source);
  const elements = list.elements.map((element) => element.getText(file));
  if (elements.includes(ref.className) || imports.some((i) => specifierOf(i) === ref.specifier)) {
    throw new AppModuleEditError(`${APP_MODULE_FILE} already registers ${ref.className}`);
  }
  const importingListed = imports.filter((declaration) =>
    elements.some((element) => declaration.importClause?.getText(file).includes(element)),
  );
  const after = importingListed.at(-1) ?? imports.at(-1);
  const importLine = `import { ${ref.className} } from '${ref.specifier}';\n`;
  const at = after ? after.getEnd() + 1 : 0;
  return apply(source, [
    { start: at, end: at, text: importLine },
    { start: list.getStart(file), end: list.getEnd(), text: listText([...elements, ref.className]) },
  ]);
}

/** Takes the module out of RESOURCE_MODULES and drops its import; answers whether it was registered. */
export function removeResourceModule(
  source: string,
  ref: ResourceModuleRef,
): { source: string; found: boolean } {
  const { file, list, imports, specifierOf } = parse(source);
  const elements = list.elements.map((element) => element.getText(file));
  const declaration = imports.find((i) => specifierOf(i) === ref.specifier);
  const edits: Edit[] = [];
  if (declaration) edits.push({ start: declaration.getFullStart(), end: declaration.getEnd(), text: '' });
  if (elements.includes(ref.className)) {
    edits.push({
      start: list.getStart(file),
      end: list.getEnd(),
      text: listText(elements.filter((element) => element !== ref.className)),
    });
  }
  return { source: apply(source, edits), found: edits.length > 0 };
}
