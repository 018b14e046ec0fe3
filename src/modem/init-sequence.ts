import type { AtCommander, AtResponse } from '../at/types.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { call, describeFinal, isOk } from './at-call.js';
import { backoffMs, type ModemTimings, type Nudge, sleep } from './options.js';
import { type InitStep, isSimBusy } from './profiles/profile.js';

/** The first steps, before anything depends on the SIM (quirks.md §0 "Baseline init"). */
export const BASE_STEPS: readonly InitStep[] = [
  // A bare AT first: autobauding UARTs (SIM800) lock on to it, and it flushes a half line.
  { command: 'AT', allowError: true },
  { command: 'ATE0', allowError: true },
  { command: 'AT+CMEE=1', allowError: true },
];

export interface StepContext {
  at: AtCommander;
  log: Logger;
  timings: ModemTimings;
  signal?: AbortSignal;
  /** Fired by a ready URC (`SMS Ready`, `+QIND: SMS DONE`, ...): a SIM-busy wait retries at once. */
  simReady?: Nudge;
}

/**
 * Runs one init step: retries with exponential back-off while `retryOn` says the failure is
 * transient (SIM busy after boot), tolerates refusal when `allowError`, otherwise throws
 * `MODEM_INIT_FAILED` (or `MODEM_SIM_BUSY` once the SIM never became ready).
 */
export async function runStep(
  ctx: StepContext,
  step: InitStep,
  expect?: readonly string[],
): Promise<AtResponse> {
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    const response = await call(ctx.at, step.command, { expect, timeoutMs: ctx.timings.commandTimeoutMs });
    ctx.log.debug({ command: step.command, final: describeFinal(response.final) }, 'init step');
    if (isOk(response)) return response;
    const retry = step.retryOn ?? isSimBusy;
    if (retry(response.final)) {
      if (Date.now() - started >= ctx.timings.simBusyGiveUpMs) {
        throw new GatewayError('MODEM_SIM_BUSY', `SIM still busy after ${ctx.timings.simBusyGiveUpMs} ms`, {
          context: { command: step.command, final: response.final },
        });
      }
      await sleep(
        backoffMs(attempt, ctx.timings.simBusyRetryMs, ctx.timings.simBusyMaxDelayMs),
        ctx.signal,
        ctx.simReady,
      );
      continue;
    }
    if (step.allowError) return response;
    throw new GatewayError(
      'MODEM_INIT_FAILED',
      `${step.command} answered ${describeFinal(response.final)} during init`,
      { context: { command: step.command, final: response.final, lines: response.lines } },
    );
  }
}

/** Runs steps in order (STYLE.md §3: the init sequence is data). */
export async function runSteps(ctx: StepContext, steps: readonly InitStep[]): Promise<void> {
  for (const step of steps) await runStep(ctx, step);
}

const LOCKED = /SIM PIN|SIM PUK|PH-SIM|PH-NET|PIN2|PUK2/i;

/**
 * Waits until `AT+CPIN?` answers `READY` (TS 27.007 §8.3). SIM busy (`+CME ERROR: 14`,
 * `+CMS ERROR: 314`, `NOT READY`) is retried with back-off; a PIN/PUK prompt fails with
 * `MODEM_SIM_LOCKED` (entering a PIN is out of scope: three wrong tries lock the SIM); no SIM
 * (`+CME ERROR: 10`, `+CMS ERROR: 310`) fails with `MODEM_NO_SIM`. A modem that does not know
 * the command is let through: the SMS steps will tell.
 */
export async function waitForSim(ctx: StepContext): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    const response = await call(ctx.at, 'AT+CPIN?', {
      expect: ['+CPIN:'],
      timeoutMs: ctx.timings.commandTimeoutMs,
    });
    const answer = response.lines.find((line) => line.toUpperCase().startsWith('+CPIN:')) ?? '';
    const { final } = response;
    if (isOk(response) && /READY/i.test(answer) && !/NOT READY/i.test(answer)) return;
    if (LOCKED.test(answer) || (final.kind === 'cme' && [11, 12, 17, 18].includes(final.code))) {
      throw new GatewayError('MODEM_SIM_LOCKED', `SIM is locked (${answer || describeFinal(final)})`, {
        context: { answer, final },
      });
    }
    if (
      (final.kind === 'cme' && [10, 13].includes(final.code)) ||
      (final.kind === 'cms' && [310, 313].includes(final.code))
    ) {
      throw new GatewayError('MODEM_NO_SIM', `no usable SIM (${describeFinal(final)})`, {
        context: { final },
      });
    }
    const busy = isSimBusy(final) || /NOT READY/i.test(answer);
    if (!busy && !isOk(response)) {
      ctx.log.warn({ final: describeFinal(final) }, 'AT+CPIN? not understood; going on');
      return;
    }
    if (Date.now() - started >= ctx.timings.simBusyGiveUpMs) {
      throw new GatewayError('MODEM_SIM_BUSY', `SIM not ready after ${ctx.timings.simBusyGiveUpMs} ms`, {
        context: { answer, final },
      });
    }
    await sleep(
      backoffMs(attempt, ctx.timings.simBusyRetryMs, ctx.timings.simBusyMaxDelayMs),
      ctx.signal,
      ctx.simReady,
    );
  }
}
