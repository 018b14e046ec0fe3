import { isGatewayError } from '../../../src/errors.js';

/**
 * Tally of one fuzz target: how each case ended. A case either succeeds, throws a typed error
 * (a `GatewayError` with a code the target allows), or is a crash: any other throw, or a typed
 * error with a code outside the allowed set.
 */
export interface Crash {
  target: string;
  input: string;
  error: string;
}

export class OutcomeTally {
  readonly byCode = new Map<string, number>();
  readonly crashes: Crash[] = [];
  cases = 0;
  ok = 0;

  /** Runs one case: `run()` returns normally or throws. */
  record(target: string, allowed: ReadonlySet<string>, input: () => string, run: () => void): void {
    this.cases += 1;
    try {
      run();
      this.ok += 1;
    } catch (err) {
      this.recordError(target, allowed, input, err);
    }
  }

  recordError(target: string, allowed: ReadonlySet<string>, input: () => string, err: unknown): void {
    if (isGatewayError(err) && allowed.has(err.code)) {
      this.byCode.set(err.code, (this.byCode.get(err.code) ?? 0) + 1);
      return;
    }
    if (this.crashes.length < 50) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.crashes.push({ target, input: input().slice(0, 400), error });
    }
    this.byCode.set('CRASH', (this.byCode.get('CRASH') ?? 0) + 1);
  }

  merge(other: OutcomeTally): void {
    this.cases += other.cases;
    this.ok += other.ok;
    for (const [code, n] of other.byCode) this.byCode.set(code, (this.byCode.get(code) ?? 0) + n);
    this.crashes.push(...other.crashes.slice(0, 50 - this.crashes.length));
  }

  get crashCount(): number {
    return this.byCode.get('CRASH') ?? 0;
  }
}
