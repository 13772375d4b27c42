import { ApiProperty } from '@nestjs/swagger';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

declare const registered: unique symbol;

/** A scope a resource module registered: `<resource>:read` or `<resource>:write`. */
export type ApiKeyScope = string & { readonly [registered]: true };

/** The two scopes of one resource, as `registerApiKeyScopes` answers them. */
export interface ResourceScopes {
  readonly resource: string;
  readonly read: ApiKeyScope;
  readonly write: ApiKeyScope;
}

const scopes = new Set<string>();

/**
 * Declares the API-key scopes of a resource module, at the import of the file that calls it:
 * `registerApiKeyScopes('invoices')` gives `invoices:read` and `invoices:write`, which keys may be
 * created with; `@ApiKeyScoped()` on the resource's controller makes its routes need them.
 */
export function registerApiKeyScopes(resource: string): ResourceScopes {
  if (!/^[a-z][a-z0-9-]*$/.test(resource)) {
    throw new Error(`API key resource "${resource}" must be lower case, like "invoices"`);
  }
  const read = `${resource}:read` as ApiKeyScope;
  const write = `${resource}:write` as ApiKeyScope;
  if (scopes.has(read)) throw new Error(`API key scopes of "${resource}" are registered twice`);
  scopes.add(read).add(write);
  ApiProperty({ enum: registeredApiKeyScopes(), isArray: true, example: [read] })(
    CreateApiKeyDto.prototype,
    'scopes',
  );
  return Object.freeze({ resource, read, write });
}

/** Every scope registered so far, in the order of registration. */
export function registeredApiKeyScopes(): string[] {
  return [...scopes];
}

export function isRegisteredApiKeyScope(scope: string): scope is ApiKeyScope {
  return scopes.has(scope);
}

/**
 * The scope a request needs on a resource: reads (GET, HEAD) need `:read`, anything else `:write`.
 * `:write` does not include `:read`; a key that does both has both.
 */
export function requiredScopeFor(resource: ResourceScopes, method: string): ApiKeyScope {
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' ? resource.read : resource.write;
}
