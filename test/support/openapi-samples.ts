import { randomBytes, randomUUID } from 'node:crypto';
import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { TEST_PASSWORD } from './accounts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Where a string sits in a value: property names and array indexes, as class-validator names it. */
export type FieldPath = (string | number)[];

const hex = () => randomBytes(5).toString('hex');

/**
 * Values an OpenAPI document's schemas accept, as far as the document tells (type, format, enum,
 * pattern, lengths, examples), and the string fields in them.
 */
export class OpenApiSamples {
  constructor(
    private readonly document: OpenAPIObject,
    /** Origin of the URLs it makes up: redirect URLs must be on the app's own. */
    private readonly appUrl: string,
  ) {}

  resolve(schema: SchemaObject | ReferenceObject): SchemaObject {
    if (!('$ref' in schema)) return schema;
    const name = schema.$ref.split('/').at(-1) ?? '';
    const target = this.document.components?.schemas?.[name];
    if (!target) throw new Error(`the document has no schema ${schema.$ref}`);
    return this.resolve(target);
  }

  sample(schemaOrRef: SchemaObject | ReferenceObject): JsonValue {
    const schema = this.resolve(schemaOrRef);
    if (schema.enum?.length) return schema.enum[0] as JsonValue;
    const variant = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
    if (variant && !schema.type) return this.sample(variant);
    switch (schema.type) {
      case 'string':
        return this.sampleString(schema);
      case 'integer':
      case 'number':
        return schema.minimum ?? (typeof schema.default === 'number' ? schema.default : 1);
      case 'boolean':
        return true;
      case 'array':
        return schema.items ? [this.sample(schema.items)] : [];
      default:
        return Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([name, property]) => [name, this.sample(property)]),
        );
    }
  }

  /** Every string field of a value of the schema, nested objects and array items included. */
  stringFields(schemaOrRef: SchemaObject | ReferenceObject, path: FieldPath = []): FieldPath[] {
    const schema = this.resolve(schemaOrRef);
    const variant = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
    if (variant && !schema.type) return this.stringFields(variant, path);
    if (schema.type === 'string') return [path];
    if (schema.type === 'array') return schema.items ? this.stringFields(schema.items, [...path, 0]) : [];
    return Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
      this.stringFields(property, [...path, name]),
    );
  }

  private sampleString(schema: SchemaObject): string {
    switch (schema.format) {
      case 'email':
        return `fuzz-${hex()}@example.com`;
      case 'uuid':
        return randomUUID();
      case 'password':
        return TEST_PASSWORD;
      case 'uri':
      case 'url':
        return `${this.appUrl}/fuzz`;
      case 'date-time':
        return new Date().toISOString();
    }
    const example = typeof schema.example === 'string' ? schema.example : undefined;
    const candidates = schema.pattern ? [`f${hex()}`, example] : [example, 'fuzz'];
    const fits = (value: string) =>
      (!schema.pattern || new RegExp(schema.pattern).test(value)) &&
      value.length <= (schema.maxLength ?? Infinity);
    const value = candidates.find((candidate) => candidate !== undefined && fits(candidate)) ?? 'fuzz';
    return value.padEnd(schema.minLength ?? 0, 'z');
  }
}

/** `value` with the string at `path` replaced. */
export function withField(value: JsonValue, path: FieldPath, replacement: string): JsonValue {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    return value.map((item, index) => (index === head ? withField(item, rest, replacement) : item));
  }
  const object = value !== null && typeof value === 'object' ? value : {};
  return { ...object, [head]: withField(object[head] ?? null, rest, replacement) };
}
