import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SatisfiesRule } from '../../common/validation/satisfies-rule';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 72;

/** The 1,000 most common passwords, shipped in the repo beside this file. */
const COMMON_PASSWORDS = new Set(
  readFileSync(path.join(__dirname, 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#')),
);

/**
 * A common password padded to length is still a common password: `password1234`, `qwertyqwerty`.
 * So a password is refused when it is on the list, when dropping up to four trailing characters makes
 * it one, or when it repeats one.
 */
export function isCommonPassword(password: string): boolean {
  const candidate = password.toLowerCase();
  for (let dropped = 0; dropped <= 4 && dropped < candidate.length; dropped++) {
    if (COMMON_PASSWORDS.has(candidate.slice(0, candidate.length - dropped))) return true;
  }
  for (let size = 1; size <= candidate.length / 2; size++) {
    const unit = candidate.slice(0, size);
    if (candidate.length % size === 0 && unit.repeat(candidate.length / size) === candidate) {
      return COMMON_PASSWORDS.has(unit) || size <= 2;
    }
  }
  return false;
}

/** Why a password is not acceptable, or undefined. bcrypt reads at most 72 bytes, hence the upper bound. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password) > MAX_PASSWORD_LENGTH)
    return `password must be at most ${MAX_PASSWORD_LENGTH} bytes`;
  if (isCommonPassword(password)) return 'password is too common; choose one that is harder to guess';
  return undefined;
}

/** class-validator rule for password fields. */
export const IsAcceptablePassword = (): PropertyDecorator =>
  SatisfiesRule('isAcceptablePassword', passwordProblem);
