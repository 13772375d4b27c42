import { ValidationError } from '@nestjs/common';
import { FieldError, ValidationFailedException } from './app.exception';

function flatten(errors: ValidationError[], parentPath: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The ValidationPipe's exceptionFactory: class-validator errors as `details: [{field, message}]`. */
export function toValidationException(errors: ValidationError[]): ValidationFailedException {
  return new ValidationFailedException(flatten(errors, ''));
}
