import { describe, expect, it } from 'vitest';
import { probeModem } from '../../src/cli/modems-probe.js';

/**
 * Opt-in checks against a real modem: `MODEM_PORT=/dev/ttyUSB2 npm run test:hardware`
 * (stop the simbridge service first: a port has one owner). Skipped when MODEM_PORT is unset.
 */
const port = process.env.MODEM_PORT;
const baudRate = Number(process.env.MODEM_BAUD ?? 115_200);

describe.skipIf(!port)(`real modem on ${port ?? '(set MODEM_PORT to run)'}`, () => {
  it('answers AT, identifies itself and its SIM, and reports its storage', async () => {
    const result = await probeModem(port ?? '', { baudRate, commandTimeoutMs: 5_000 });
    expect(result.error).toBeNull();
    expect(result.answered).toBe(true);
    expect(result.identity?.imei).toMatch(/^\d{14,16}$/);
    expect(result.identity?.iccid).toMatch(/^\d{18,22}$/);
    expect(result.storage?.total).toBeGreaterThan(0);
  }, 60_000);
});
