import {
  isRegisteredApiKeyScope,
  registeredApiKeyScopes,
  registerApiKeyScopes,
  requiredScopeFor,
} from './api-key-scopes';

describe('API key scopes', () => {
  const invoices = registerApiKeyScopes('invoices');

  it('registers a read and a write scope per resource', () => {
    expect(invoices).toEqual({ resource: 'invoices', read: 'invoices:read', write: 'invoices:write' });
    expect(registeredApiKeyScopes()).toEqual(expect.arrayContaining(['invoices:read', 'invoices:write']));
    expect(isRegisteredApiKeyScope('invoices:read')).toBe(true);
    expect(isRegisteredApiKeyScope('invoices:admin')).toBe(false);
    expect(isRegisteredApiKeyScope('reports:read')).toBe(false);
  });

  it('refuses a resource registered twice or named otherwise than in lower case', () => {
    expect(() => registerApiKeyScopes('invoices')).toThrow('registered twice');
    for (const resource of ['Invoices', 'invoices:read', '', 'in voices']) {
      expect(() => registerApiKeyScopes(resource)).toThrow('must be lower case');
    }
  });

  it('needs :read for GET and HEAD, :write for every other method', () => {
    expect(requiredScopeFor(invoices, 'GET')).toBe('invoices:read');
    expect(requiredScopeFor(invoices, 'head')).toBe('invoices:read');
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']) {
      expect(requiredScopeFor(invoices, method)).toBe('invoices:write');
    }
  });
});
