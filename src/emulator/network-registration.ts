import type { ModemSettings } from './commands/context.js';

/** `+CREG` <stat> (TS 27.007 §7.2): 1 registered home; 2 not registered, searching. */
const REGISTERED_HOME = 1;
const SEARCHING = 2;

/**
 * The network side of registration, as a fault: a SIM that drops off the network (blocked,
 * out of coverage) stays off across reboots until the test puts it back, and the modem says
 * so with `+CREG`/`+CGREG`/`+CEREG` URCs when the host enabled them (`AT+CREG=1`).
 */
export class NetworkRegistration {
  /** True while the network refuses the SIM (set by the fault, not by AT+CFUN). */
  refused = false;
  /** While on, every `AT+CMGR` / `AT+CMGL` ends in `+CMS ERROR: 500` (a blocked SIM). */
  readsFailing = false;

  /** The part of the command gate these faults set. */
  gate(): { readsFailing: boolean } {
    return { readsFailing: this.readsFailing };
  }

  failReads(failing: boolean): void {
    this.readsFailing = failing;
  }

  /** Puts the SIM on or off the network; a change is announced by the URCs the host enabled. */
  set(
    registered: boolean,
    radio: { registered: boolean },
    settings: ModemSettings,
    out: { line(text: string): void },
  ): void {
    this.refused = !registered;
    if (radio.registered === registered) return;
    radio.registered = registered;
    for (const urc of this.#changeUrcs(settings, registered)) out.line(urc);
  }

  /** The URC lines a change to `registered` makes the modem send, per enabled `<n>`. */
  #changeUrcs(settings: ModemSettings, registered: boolean): string[] {
    const stat = registered ? REGISTERED_HOME : SEARCHING;
    return (['CREG', 'CGREG', 'CEREG'] as const)
      .filter((name) => settings.regUrc[name] >= 1)
      .map((name) => `+${name}: ${stat}`);
  }

  /** Vendor noise that repeats a registration URC reports the state it is in now. */
  noiseLine(line: string, radio: { registered: boolean }): string {
    const match = /^\+(C|CG|CE)REG: \d$/.exec(line);
    return match ? `+${match[1]}REG: ${radio.registered ? REGISTERED_HOME : SEARCHING}` : line;
  }
}
