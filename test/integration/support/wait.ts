/** Polling helpers for end-to-end tests (real time: the bridge runs in another process). */

/** Polls `probe` every `intervalMs` until it returns a value other than undefined/false. */
export async function waitUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  limitMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${limitMs} ms waiting for ${what}${detail}`);
    }
    await delay(intervalMs);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
