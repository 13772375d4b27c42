import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { copyWorkingTree, type CommandResult, type WorkingTreeCopy } from '../support/working-tree-copy';

/** Two resources: one plain, one in kebab-case with a plan limit, so every template branch is built. */
const GENERATED = [
  { plural: 'invoices', singular: 'invoice', Entities: 'Invoices', args: [] as string[] },
  {
    plural: 'support-tickets',
    singular: 'support-ticket',
    Entities: 'SupportTickets',
    args: ['--limit', '3'],
  },
];

const filesOf = ({ plural, singular, Entities }: (typeof GENERATED)[number]): unknown[] => [
  `src/${plural}/${singular}.entity.ts`,
  `src/${plural}/dto/create-${singular}.dto.ts`,
  `src/${plural}/dto/update-${singular}.dto.ts`,
  `src/${plural}/dto/${singular}-page.dto.ts`,
  `src/${plural}/${plural}.registrations.ts`,
  `src/${plural}/${plural}.service.ts`,
  `src/${plural}/${plural}.controller.ts`,
  `src/${plural}/${plural}.module.ts`,
  expect.stringMatching(new RegExp(`^tenants/\\d{13}-Create${Entities}\\.ts$`)),
  `test/${plural}/${plural}.e2e-spec.ts`,
];

/** Every file of the copy but node_modules and what builds and tests leave (dist, .data). */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => !/^(node_modules|dist|\.data)(\/|$)/.test(file))
    .filter((file) => statSync(path.join(dir, file)).isFile())
    .sort();
}

/** Passes when the command exited 0; otherwise fails showing what it printed. */
function expectSuccess(result: CommandResult): void {
  expect({ code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({
    code: 0,
    output: '',
  });
}

const written = (result: CommandResult) =>
  result.output
    .split('\n')
    .filter((line) => line.startsWith('Wrote '))
    .map((line) => line.slice('Wrote '.length));

/**
 * In a copy of the working tree: what the generator writes builds, lints and passes its own tests
 * unchanged, and removing it again leaves the copy as it was.
 */
describe('npm run generate:resource', () => {
  let copy: WorkingTreeCopy;
  const read = (file: string) => readFileSync(path.join(copy.dir, file), 'utf8');
  const npmRun = (script: string, ...args: string[]) => copy.run('npm', ['run', '-s', script, '--', ...args]);
  let appModuleBefore: string;
  let filesBefore: string[];

  beforeAll(() => {
    copy = copyWorkingTree('saas-generator-');
    appModuleBefore = read('src/app.module.ts');
    filesBefore = filesIn(copy.dir);
  });
  afterAll(() => copy.remove());

  it('refuses names that are not lower-case plurals, and taken ones, writing nothing', async () => {
    const tenantsBefore = readdirSync(path.join(copy.dir, 'tenants'));
    for (const [name, message] of [
      ['Invoices', 'is not a resource name'],
      ['invoice_lines', 'is not a resource name'],
      ['staff', 'does not look like a plural'],
    ]) {
      const result = await npmRun('generate:resource', name);
      expect({ name, code: result.code, message: result.output.includes(message) }).toEqual({
        name,
        code: 2,
        message: true,
      });
    }
    const taken = await npmRun('generate:resource', 'members');
    expect(taken.code).toBe(1);
    expect(taken.output).toContain('src/members exists');
    expect(taken.output).toContain('already serves the route /members');
    const limitless = await npmRun('generate:resource', 'invoices', '--limit', 'many');
    expect(limitless.code).toBe(2);
    expect(readdirSync(path.join(copy.dir, 'tenants'))).toEqual(tenantsBefore);
    expect(read('src/app.module.ts')).toBe(appModuleBefore);
  });

  it('writes a resource and registers its module', async () => {
    for (const resource of GENERATED) {
      const result = await npmRun('generate:resource', resource.plural, ...resource.args);
      expectSuccess(result);
      expect(written(result)).toEqual(filesOf(resource));
      expect(result.output).toContain('Edited src/app.module.ts');
    }
    expect(read('src/app.module.ts')).toMatch(
      /const RESOURCE_MODULES: Type\[\] = \[.*InvoicesModule, SupportTicketsModule\]/,
    );
    expect(read('src/support-tickets/support-tickets.registrations.ts')).toContain("key: 'supportTickets'");
    for (const { plural } of GENERATED) {
      expect(read(`src/${plural}/${plural}.registrations.ts`)).toContain(`registerApiKeyScopes('${plural}')`);
      expect(read(`src/${plural}/${plural}.controller.ts`)).toMatch(/@ApiKeyScoped\([A-Z_]+_SCOPES\)/);
    }
  });

  // Type-checking the whole copy, and a Jest run inside it, take minutes on a loaded machine.
  const SLOW = 10 * 60_000;

  it(
    'writes code that type-checks, lints, is formatted as it is and passes the OpenAPI lint',
    async () => {
      expectSuccess(await copy.run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
      expectSuccess(await copy.run('npm', ['run', '-s', 'lint:openapi']));
      const files = [
        'src/app.module.ts',
        'tenants',
        ...GENERATED.flatMap((r) => [`src/${r.plural}`, `test/${r.plural}`]),
      ];
      expectSuccess(await copy.run('npx', ['eslint', '--max-warnings', '0', ...files]));
      expectSuccess(await copy.run('npx', ['prettier', '--check', ...files]));
    },
    SLOW,
  );

  it(
    'writes tests that pass unchanged, with entities that match their migrations',
    async () => {
      expectSuccess(
        await copy.run('npx', [
          'jest',
          ...GENERATED.map((r) => `test/${r.plural}/`),
          'test/tenancy/schema-drift.e2e-spec.ts',
        ]),
      );
    },
    SLOW,
  );

  it('takes a resource out again with npm run remove:resource, leaving the tree as it was', async () => {
    for (const resource of GENERATED) {
      expectSuccess(await npmRun('remove:resource', resource.plural));
    }
    expect(read('src/app.module.ts')).toBe(appModuleBefore);
    expect(filesIn(copy.dir)).toEqual(filesBefore);
  });
});
