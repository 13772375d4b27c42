import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as authenticator apps expect it: HMAC-SHA-1, 6 digits, 30-second steps. */
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const TOTP_PERIOD_SECONDS = PARAMETERS.period;
const SECRET_BYTES = 20;
/** Codes of the step before and after the current one are accepted too: clocks drift. */
const WINDOW = 1;

/** A new random secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ buffer: Uint8Array.from(randomBytes(SECRET_BYTES)).buffer }).base32;
}

/** The `otpauth://totp/…` URL an authenticator app scans (as a QR code) or takes typed in. */
export function otpauthUrl(secret: string, issuer: string, label: string): string {
  return new TOTP({ ...PARAMETERS, issuer, label, secret: Secret.fromBase32(secret) }).toString();
}

/**
 * The time step (seconds since the epoch / 30) whose code `code` is, within one step of `atMs`, or
 * undefined. The caller refuses a step at or before the last one accepted, so no code works twice.
 */
export function matchingTotpStep(secret: string, code: string, atMs = Date.now()): number | undefined {
  const delta = TOTP.validate({
    ...PARAMETERS,
    secret: Secret.fromBase32(secret),
    token: code,
    timestamp: atMs,
    window: WINDOW,
  });
  return delta === null ? undefined : TOTP.counter({ period: PARAMETERS.period, timestamp: atMs }) + delta;
}
