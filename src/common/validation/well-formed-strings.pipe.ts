import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { type FieldError, ValidationFailedException } from '../errors/app.exception';

const CHECKED_INPUT: ReadonlySet<ArgumentMetadata['type']> = new Set(['body', 'query', 'param']);
/** Fields named in one answer at most: a body of a million bad strings gets a short answer. */
const MAX_REPORTED = 50;

/** What makes a string unfit to be stored as text, or undefined when nothing does. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (!value.isWellFormed()) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}

/** The fields (property paths as class-validator names them) whose strings have a textProblem. */
export function malformedStrings(input: unknown, rootPath = ''): FieldError[] {
  const problems: FieldError[] = [];
  // Iterative: a deeply nested body must not exhaust the stack.
  const pending: { value: unknown; path: string }[] = [{ value: input, path: rootPath }];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (pending.length > 0 && problems.length < MAX_REPORTED) {
    const { value, path } = pending.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ field: path, message: `${path || 'value'} ${problem}` });
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        pending.push({ value: value[index], path: join(path, String(index)) });
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value).reverse()) {
        const problem = textProblem(key);
        if (problem)
          problems.push({ field: path, message: `property names in ${path || 'value'} ${problem}` });
        pending.push({ value: item, path: join(path, key) });
      }
    }
  }
  return problems.slice(0, MAX_REPORTED);
}

/**
 * Refuses every body, query and path parameter holding a string PostgreSQL cannot store as text (a
 * NUL byte is an "invalid byte sequence", a 500) or that is not Unicode (a lone surrogate, which the
 * driver would silently turn into U+FFFD): 400 VALIDATION_FAILED naming each field, as the
 * ValidationPipe does. Runs before it, on the input as received, nested objects and arrays included.
 */
export class WellFormedStringsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!CHECKED_INPUT.has(metadata.type)) return value;
    const problems = malformedStrings(value, metadata.data ?? '');
    if (problems.length > 0) throw new ValidationFailedException(problems);
    return value;
  }
}
