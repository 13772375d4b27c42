import { registerDecorator } from 'class-validator';

/**
 * A class-validator rule from a function that says what is wrong with a string value (or undefined
 * when nothing is), so the domain rule and its error message live in one place.
 */
export function SatisfiesRule(
  name: string,
  problemOf: (value: string) => string | undefined,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problemOf(value) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? (problemOf(args.value) ?? `${String(propertyName)} is not acceptable`)
            : `${String(propertyName)} must be a string`,
      },
    });
}
