import { addResourceModule, removeResourceModule } from './app-module-edits';

const APP_MODULE = `import { Module, type Type } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ReportsModule } from './reports/reports.module';
import { TenancyModule } from './tenancy/tenancy.module';

const RESOURCE_MODULES: Type[] = [ReportsModule];

@Module({ imports: [TenancyModule, AuthModule, ...RESOURCE_MODULES] })
export class AppModule {}
`;

const invoices = { className: 'InvoicesModule', specifier: './invoices/invoices.module' };
const reports = { className: 'ReportsModule', specifier: './reports/reports.module' };

describe('app module edits', () => {
  it('import a resource module beside the registered ones and append it to RESOURCE_MODULES', () => {
    const added = addResourceModule(APP_MODULE, invoices);
    expect(added).toContain(
      `import { ReportsModule } from './reports/reports.module';\nimport { InvoicesModule } from './invoices/invoices.module';\nimport { TenancyModule }`,
    );
    expect(added).toContain('const RESOURCE_MODULES: Type[] = [ReportsModule, InvoicesModule];');
    expect(removeResourceModule(added, invoices)).toEqual({ source: APP_MODULE, found: true });
  });

  it('take the last resource module out, and register one into the empty list', () => {
    const { source: without } = removeResourceModule(APP_MODULE, reports);
    expect(without).not.toContain('ReportsModule');
    expect(without).toContain('const RESOURCE_MODULES: Type[] = [];');
    expect(addResourceModule(without, invoices)).toContain(
      `import { TenancyModule } from './tenancy/tenancy.module';\nimport { InvoicesModule } from './invoices/invoices.module';\n`,
    );
  });

  it('refuse a module registered already, and a file without RESOURCE_MODULES', () => {
    expect(() => addResourceModule(APP_MODULE, reports)).toThrow('already registers ReportsModule');
    expect(() => addResourceModule(APP_MODULE.replace('RESOURCE_MODULES', 'FEATURES'), invoices)).toThrow(
      'has no RESOURCE_MODULES array',
    );
    expect(removeResourceModule(APP_MODULE, invoices)).toEqual({ source: APP_MODULE, found: false });
  });
});
