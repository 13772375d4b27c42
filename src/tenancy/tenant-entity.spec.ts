import { schemaNameFor } from './tenant.entity';
import { assertTenantSchemaName } from './tenant-transaction';

describe('schemaNameFor', () => {
  it('derives the schema name from the tenant id alone', () => {
    expect(schemaNameFor('3DEA40D1-C166-4A8E-824A-1445E4D3F5C7')).toBe(
      'tenant_3dea40d1c1664a8e824a1445e4d3f5c7',
    );
  });

  it('refuses anything that is not a uuid', () => {
    expect(() => schemaNameFor('acme"; DROP SCHEMA public; --')).toThrow('Not a tenant id');
  });

  it('only lets tenant schema names through to SQL', () => {
    expect(() => assertTenantSchemaName('public')).toThrow();
    expect(() => assertTenantSchemaName('tenant_x"; DROP TABLE y')).toThrow();
    expect(() => assertTenantSchemaName('tenant_3dea40d1c1664a8e824a1445e4d3f5c7')).not.toThrow();
  });
});
