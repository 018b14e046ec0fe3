import type { EmulatedModem } from '../../src/emulator/modem.js';
import type { EmulatedModemOptions, ModemProfileName } from '../../src/emulator/types.js';
import { type FarmManagerSettings, messagePdus, PtyFarm, waitFor } from './farm-harness.js';

/**
 * Recovery after each modem fault, measured on a farm of emulated modems on real ptys at
 * 115200 baud (one fault per modem, all at once, as an operator would meet them). For each
 * fault: the time from the fault's end to the first accept of a message that waited through
 * it, and to every message of that modem accepted. A message already accepted before the end
 * counts as 0.
 */

/** How long each fault lasts. `FULL` is the length met in the field; tests scale it down. */
export interface FaultLengths {
  hangMs: number;
  /**
   * The hang starts this long after every modem is ready. A hang hurts most when a command is
   * in flight as it ends; the default safety net runs every 3 s, but the 30 s sweep of earlier
   * versions only met a hang that started late in its period.
   */
  hangPhaseMs: number;
  cmtiLostMs: number;
  /** SMS commands answer +CMS ERROR: 314 this long after the replug boot. */
  smsBusyMs: number;
  /** Unplugged this long before the replug. */
  unpluggedMs: number;
  noiseMs: number;
  /** 12 messages arrive over this long into 5 slots. */
  burstMs: number;
}

export const FULL_FAULTS: FaultLengths = {
  hangMs: 20_000,
  hangPhaseMs: 25_000,
  cmtiLostMs: 30_000,
  smsBusyMs: 8_000,
  unpluggedMs: 3_000,
  noiseMs: 6_000,
  burstMs: 6_000,
};

export const SHORT_FAULTS: FaultLengths = {
  hangMs: 2_000,
  hangPhaseMs: 0,
  cmtiLostMs: 3_000,
  smsBusyMs: 2_000,
  unpluggedMs: 1_000,
  noiseMs: 1_500,
  burstMs: 1_500,
};

export interface FaultFigure {
  fault: string;
  /** Fault end → first accept of a message injected during the fault (0 when before the end). */
  recoveryMs: number;
  /** Fault end → every message of the modem accepted (0 when all were before the end). */
  catchUpMs: number;
  /** Longest arrival → accept of one message of the modem. */
  worstLatencyMs: number;
  messages: number;
  /** Messages still on the SIM once every message was accepted (the deletes must have followed). */
  leftOnSim: number;
  /** Deletes of a message not accepted before (must be 0: read, store, then delete). */
  deletesBeforeAccept: number;
  /**
   * The modem answers commands all through the fault (lost +CMTI, noise, a full storage): every
   * message is then due within 5 s of its own arrival, not only of the fault's end.
   */
  answering: boolean;
  /** States the modem went through, for showing the fault really happened. */
  states: string[];
}

interface Injected {
  pdu: string;
  atMs: number;
  /** Injected during the fault, so it waited for the recovery. */
  waited: boolean;
}

interface Scenario {
  fault: string;
  profile: ModemProfileName;
  answering?: boolean;
  options?: EmulatedModemOptions;
  /** Plays the fault; resolves at its end (a `performance.now()` value). */
  play(modem: EmulatedModem, inject: (tag: number, waited?: boolean) => void, farm: PtyFarm): Promise<number>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function scenarios(lengths: FaultLengths): Scenario[] {
  return [
    {
      fault: `answers nothing for ${lengths.hangMs / 1000} s, then answers again`,
      profile: 'generic',
      async play(modem, inject) {
        await sleep(lengths.hangPhaseMs);
        modem.hang();
        inject(1);
        await sleep(lengths.hangMs / 2);
        inject(2);
        await sleep(lengths.hangMs / 2);
        inject(3);
        modem.unhang();
        return performance.now();
      },
    },
    {
      fault: `+CMTI not sent for ${lengths.cmtiLostMs / 1000} s`,
      profile: 'simcom-sim800',
      answering: true,
      async play(modem, inject) {
        modem.setCmtiDropped(true);
        for (let tag = 1; tag <= 3; tag += 1) {
          inject(tag);
          await sleep(lengths.cmtiLostMs / 3);
        }
        modem.setCmtiDropped(false);
        return performance.now();
      },
    },
    {
      fault: `unplugged, replugged; SMS commands busy (+CMS ERROR: 314) for ${lengths.smsBusyMs / 1000} s`,
      profile: 'simcom-sim800',
      async play(modem, inject, farm) {
        modem.unplug();
        inject(1);
        await sleep(lengths.unpluggedMs);
        modem.replug();
        modem.holdSmsBusy(lengths.smsBusyMs);
        const busyEndsAt = performance.now() + lengths.smsBusyMs;
        await farm.relays[farm.modems.indexOf(modem)]?.ready();
        inject(2);
        await sleep(busyEndsAt - performance.now());
        inject(3);
        return busyEndsAt;
      },
    },
    {
      fault: 'unplugged, back under a new tty name',
      profile: 'huawei-e3372',
      async play(modem, inject, farm) {
        modem.unplug();
        inject(1);
        await sleep(lengths.unpluggedMs);
        modem.replug();
        await farm.relays[farm.modems.indexOf(modem)]?.ready();
        inject(2);
        return performance.now();
      },
    },
    {
      fault: 'silent reset in place',
      profile: 'simcom-sim7600',
      async play(modem, inject) {
        modem.silentReset();
        inject(1);
        inject(2);
        return performance.now();
      },
    },
    {
      fault: 'garbage bytes and vendor URC noise',
      profile: 'zte-mf190',
      answering: true,
      async play(modem, inject) {
        const started = performance.now();
        for (let tag = 1; performance.now() - started < lengths.noiseMs; tag += 1) {
          modem.sendGarbage(128);
          modem.urcStorm(30);
          inject(tag);
          modem.sendGarbage(64);
          await sleep(250);
        }
        return performance.now();
      },
    },
    {
      fault: `SIM storage of 5 slots, 12 SMS in ${lengths.burstMs / 1000} s`,
      profile: 'quectel-ec25',
      answering: true,
      options: { simCapacity: 5 },
      async play(_modem, inject) {
        for (let tag = 1; tag <= 12; tag += 1) {
          inject(tag);
          if (tag < 12) await sleep(lengths.burstMs / 11);
        }
        return performance.now();
      },
    },
  ];
}

/** Runs every fault on its own modem at once and returns one figure per fault. */
export async function measureFaultRecovery(
  lengths: FaultLengths,
  settings: FarmManagerSettings,
  options: { catchUpLimitMs?: number } = {},
): Promise<FaultFigure[]> {
  const farm = new PtyFarm();
  try {
    const list = scenarios(lengths);
    const modems: EmulatedModem[] = [];
    for (const [i, scenario] of list.entries()) {
      modems.push(await farm.addModem(i + 1, scenario.profile, scenario.options ?? {}));
    }
    const manager = await farm.startManager(settings);
    await waitFor(
      () =>
        manager.snapshots().length === list.length && manager.snapshots().every((s) => s.state === 'ready'),
      20_000,
      'every modem ready',
    );
    const states = list.map(() => [] as string[]);
    manager.on('stateChanged', (port, state) => {
      // The port names the slot until a replug moves it; the ICCID names the modem for good.
      const iccid = manager.snapshots().find((snapshot) => snapshot.port === port)?.identity?.iccid;
      const slot = modems.findIndex(
        (m) => m.identity.iccid === iccid || farm.relays[modems.indexOf(m)]?.path === port,
      );
      if (slot >= 0) states[slot]?.push(state);
    });
    const injected = list.map(() => [] as Injected[]);
    const ends = await Promise.all(
      list.map((scenario, i) => {
        const modem = modems[i] as EmulatedModem;
        const inject = (tag: number, waited = true): void => {
          for (const pdu of messagePdus(i + 1, 'gsm7', tag)) {
            modem.injectPdu(pdu);
            injected[i]?.push({ pdu, atMs: performance.now(), waited });
          }
        };
        return scenario.play(modem, inject, farm);
      }),
    );
    const limit = options.catchUpLimitMs ?? 30_000;
    return await Promise.all(
      list.map(async (scenario, i) => {
        const modem = modems[i] as EmulatedModem;
        const sent = injected[i] ?? [];
        const acceptedAt = (pdu: string): number | undefined =>
          farm.accepted.find((r) => r.sms.iccid === modem.identity.iccid && r.sms.pdu === pdu)?.atMs;
        await waitFor(
          () => sent.every((m) => acceptedAt(m.pdu) !== undefined) && modem.storedMessages().length === 0,
          limit,
          `every message of "${scenario.fault}" accepted`,
        ).catch(() => {});
        const end = ends[i] as number;
        const times = sent.map((m) => acceptedAt(m.pdu) ?? Number.POSITIVE_INFINITY);
        const waited = sent.flatMap((m, k) => (m.waited ? [times[k] as number] : []));
        return {
          fault: scenario.fault,
          recoveryMs: Math.max(0, Math.min(...waited) - end),
          catchUpMs: Math.max(0, Math.max(...times) - end),
          worstLatencyMs: Math.max(...sent.map((m, k) => (times[k] as number) - m.atMs)),
          messages: sent.length,
          leftOnSim: modem.storedMessages().length,
          deletesBeforeAccept: farm
            .deletionsWithoutPriorAccept()
            .filter((d) => d.iccid === modem.identity.iccid).length,
          answering: scenario.answering ?? false,
          states: states[i] ?? [],
        };
      }),
    );
  } finally {
    await farm.stop();
  }
}

/**
 * What breaks the promise: a figure over 5 s, a message left on the SIM, a delete before its
 * accept. Empty when all is well; each line names the fault.
 */
export function figuresOverFiveSeconds(figures: readonly FaultFigure[]): string[] {
  return figures.flatMap((f) => [
    ...(f.leftOnSim > 0 ? [`${f.fault}: ${f.leftOnSim} SMS left on the SIM`] : []),
    ...(f.deletesBeforeAccept > 0 ? [`${f.fault}: ${f.deletesBeforeAccept} deleted before accepted`] : []),
    ...(f.recoveryMs > 5_000 ? [`${f.fault}: recovery ${Math.round(f.recoveryMs)} ms`] : []),
    ...(f.catchUpMs > 5_000 ? [`${f.fault}: all SMS after ${Math.round(f.catchUpMs)} ms`] : []),
    ...(f.answering && f.worstLatencyMs > 5_000
      ? [`${f.fault}: an SMS read ${Math.round(f.worstLatencyMs)} ms after it arrived`]
      : []),
  ]);
}

/** States in order, a port retried while absent (opening → gone, again and again) shown once. */
function statePath(states: readonly string[]): string {
  return states.join(' → ').replace(/( → opening → gone)+/g, ' → opening → gone') || '-';
}

/** The figures as a Markdown table, seconds with one decimal. */
export function formatFigures(figures: readonly FaultFigure[]): string {
  const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : 'never');
  const rows = figures.map(
    (f) =>
      `| ${f.fault} | ${s(f.recoveryMs)} s | ${s(f.catchUpMs)} s | ${s(f.worstLatencyMs)} s | ${statePath(f.states)} |`,
  );
  return [
    '| fault | recovery | all SMS of the modem | worst arrival → accept | states |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
