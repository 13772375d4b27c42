export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the error when the time runs out. */
  what?: string;
}

/** Polls `condition` until it returns a truthy value, which it resolves with; throws after the timeout. */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, what = 'the condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
