import { resourceNames, singularOf } from './resource-names';

describe('resourceNames', () => {
  it('derives every name from a plural', () => {
    expect(resourceNames('invoices')).toEqual({
      plural: 'invoices',
      singular: 'invoice',
      Entity: 'Invoice',
      Entities: 'Invoices',
      entity: 'invoice',
      entities: 'invoices',
      ENTITY: 'INVOICE',
      ENTITIES: 'INVOICES',
      table: 'invoices',
      auditPrefix: 'invoice',
      words: 'invoice',
      wordsPlural: 'invoices',
    });
  });

  it('derives them from a kebab-case plural, singularising its last word', () => {
    expect(resourceNames('support-tickets')).toMatchObject({
      singular: 'support-ticket',
      Entity: 'SupportTicket',
      Entities: 'SupportTickets',
      entity: 'supportTicket',
      entities: 'supportTickets',
      ENTITY: 'SUPPORT_TICKET',
      ENTITIES: 'SUPPORT_TICKETS',
      table: 'support_tickets',
      auditPrefix: 'support_ticket',
      words: 'support ticket',
    });
  });

  it.each([
    ['invoices', 'invoice'],
    ['categories', 'category'],
    ['addresses', 'address'],
    ['boxes', 'box'],
    ['matches', 'match'],
    ['wishes', 'wish'],
    ['purchases', 'purchase'],
    ['keys', 'key'],
  ])('singularises %s as %s', (plural, singular) => {
    expect(singularOf(plural)).toBe(singular);
  });

  it('takes an irregular singular as given', () => {
    expect(resourceNames('people', 'person')).toMatchObject({ Entity: 'Person', Entities: 'People' });
  });

  it.each([
    'Invoices',
    'invoice_lines',
    '-invoices',
    'invoices-',
    'support--tickets',
    '9lives',
    'x'.repeat(41),
  ])('refuses %s', (name) => {
    expect(() => resourceNames(name)).toThrow('is not a resource name');
  });

  it('refuses a name that is not a plural, or whose singular is a reserved word', () => {
    expect(() => resourceNames('staff')).toThrow('does not look like a plural');
    expect(() => resourceNames('status')).toThrow('does not look like a plural');
    expect(() => resourceNames('classes')).toThrow('reserved word');
    expect(() => resourceNames('invoices', 'invoices')).toThrow('is not a singular');
  });
});
