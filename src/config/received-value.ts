/**
 * How a configuration error describes the value it got. Secrets (keys, passwords, tokens) and URLs
 * that may carry credentials are never echoed: start-up errors end up in terminals, CI logs and log
 * collectors.
 */
const SECRET_NAME = /(SECRET|PASSWORD|KEY|TOKEN)/;
const MAY_CARRY_CREDENTIALS = /@/;

export function isSecretValue(variable: string, value: string): boolean {
  return SECRET_NAME.test(variable) || (variable.endsWith('_URL') && MAY_CARRY_CREDENTIALS.test(value));
}

export function describeReceived(env: Record<string, string | undefined>, variable: string): string {
  const value = env[variable];
  if (value === undefined) return 'it is not set';
  if (isSecretValue(variable, value)) return 'got a value that is not shown because it is secret';
  return `got "${value}"`;
}
