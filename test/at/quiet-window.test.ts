import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietWindow } from '../../src/at/quiet-window.js';

describe('QuietWindow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function track(promise: Promise<void>): () => boolean {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    return () => done;
  }

  it('ends after quietMs of silence, each line restarting the silence', async () => {
    const window = new QuietWindow(100, 1000);
    const done = track(window.wait(false));
    await vi.advanceTimersByTimeAsync(90);
    window.noteLine(false);
    await vi.advanceTimersByTimeAsync(90);
    window.noteLine(true);
    await vi.advanceTimersByTimeAsync(90);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(done()).toBe(true);
    expect(window.isWaiting).toBe(false);
  });

  it('ends at maxMs even if lines keep coming', async () => {
    const window = new QuietWindow(100, 500);
    const done = track(window.wait(false));
    const storm = setInterval(() => window.noteLine(false), 50);
    await vi.advanceTimersByTimeAsync(499);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done()).toBe(true);
    clearInterval(storm);
  });

  it('ends on a final result when asked to, and on cancel', async () => {
    const window = new QuietWindow(100, 500);
    const first = track(window.wait(true));
    window.noteLine(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(first()).toBe(true);
    const second = track(window.wait(false));
    window.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(second()).toBe(true);
  });
});
