/**
 * How long a cache read or write may take before it counts as a miss (or a skipped write): a hung
 * Redis must slow requests by this much at most, not stall them. Loopback answers take well under 1 ms.
 */
export const CACHE_TIMEOUT_MS = 250;

export class CacheTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer from the cache within ${timeoutMs} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/** `work`, or a CacheTimeoutError once `timeoutMs` has passed; the timer never outlives the answer. */
export function withCacheTimeout<T>(work: Promise<T>, timeoutMs = CACHE_TIMEOUT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CacheTimeoutError(timeoutMs)), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
