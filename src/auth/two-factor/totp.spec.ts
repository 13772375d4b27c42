import { matchingTotpStep, newTotpSecret, otpauthUrl } from './totp';

/** The ASCII secret of RFC 6238's SHA-1 test vectors, "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/**
 * RFC 6238, Appendix B, SHA-1: the time (s) and the 8-digit code. A 6-digit code is the same number
 * modulo 10^6, so its last six digits.
 */
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('the TOTP verifier', () => {
  it.each(VECTORS)('accepts the RFC 6238 code of time %i, at its step', (seconds, code) => {
    expect(matchingTotpStep(RFC_SECRET, code.slice(-6), seconds * 1000)).toBe(Math.floor(seconds / 30));
  });

  it('accepts a code one step early or late, and no further', () => {
    const [seconds, code] = VECTORS[3];
    const step = Math.floor(seconds / 30);
    expect(matchingTotpStep(RFC_SECRET, code.slice(-6), (seconds + 30) * 1000)).toBe(step);
    expect(matchingTotpStep(RFC_SECRET, code.slice(-6), (seconds - 30) * 1000)).toBe(step);
    expect(matchingTotpStep(RFC_SECRET, code.slice(-6), (seconds + 90) * 1000)).toBeUndefined();
  });

  it('refuses a wrong code', () => {
    expect(matchingTotpStep(RFC_SECRET, '287083', 59_000)).toBeUndefined();
  });

  it('makes 20-byte secrets and the otpauth URL apps scan', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const url = new URL(otpauthUrl(secret, 'Acme Inc', 'ada@example.com'));
    expect(`${url.protocol}//${url.host}`).toBe('otpauth://totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Acme Inc:ada@example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Acme Inc',
      secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
