import { isCommonPassword, passwordProblem } from './password-policy';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
    expect(passwordProblem('Tr0ub4dor&3x!')).toBeUndefined();
  });

  it('refuses passwords under 10 characters', () => {
    expect(passwordProblem('Xy7$kq2!')).toBe('password must be at least 10 characters');
  });

  it('refuses passwords longer than bcrypt reads', () => {
    expect(passwordProblem('x'.repeat(73))).toBe('password must be at most 72 bytes');
  });

  it.each(['password', 'qwerty', 'dragon', 'letmein', 'baseball'])('knows %s is common', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['password1234', 'Password!!!!', 'qwertyqwerty', 'baseball2024', '1234567890', 'aaaaaaaaaaaa'])(
    'refuses %s, a common password padded or repeated',
    (password) => {
      expect(passwordProblem(password)).toBe('password is too common; choose one that is harder to guess');
    },
  );

  it('ships a list of exactly 1,000 passwords', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const entries = readFileSync(`${__dirname}/common-passwords.txt`, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(new Set(entries).size).toBe(1000);
  });
});
