import { Gauge, type Registry } from '../http/prometheus/index.js';
import type { SimView } from './sim-registry.js';

/**
 * `simbridge_sim_balance{iccid,phone}`: each SIM's latest balance read by USSD (RUB), filled from
 * the SIM list at scrape. A SIM whose balance was never read, or could not be, has no series.
 */
export function registerSimMetrics(registry: Registry, sims: () => readonly SimView[]): void {
  const balance: Gauge<'iccid' | 'phone'> = new Gauge({
    name: 'simbridge_sim_balance',
    help: 'Latest balance of the SIM read by its operator USSD code (operators.*.balanceUssd), in RUB.',
    labelNames: ['iccid', 'phone'],
    registers: [registry],
    collect: () => {
      balance.reset();
      for (const sim of sims()) {
        if (sim.balance !== null) balance.set({ iccid: sim.iccid, phone: sim.phone ?? '' }, sim.balance);
      }
    },
  });
}
