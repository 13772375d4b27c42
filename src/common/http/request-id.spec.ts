import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const requestWith = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('requestIdFor', () => {
  it('echoes a well-formed client request id', () => {
    expect(requestIdFor(requestWith({ 'x-request-id': 'abc-123:retry.2' }))).toBe('abc-123:retry.2');
  });

  it('replaces an id that could inject into headers or logs', () => {
    const id = requestIdFor(requestWith({ 'x-request-id': 'bad id\nInjected: yes' }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates an id when none is sent', () => {
    expect(requestIdFor(requestWith({}))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
