import type { Narrator } from './narrator.js';

/** The demo's rent: how many days, and what Onlinesim says it pays when the rent closes. */
export const DEMO_RENT = { days: 1, sum: 870 } as const;

export interface DemoRent {
  operationId: number;
  phone: string;
}

/**
 * Plays Onlinesim renting one SIM (onlinesim-reseller.md §7): GET_SERVICES to see the `rent`
 * count, then GET_NUMBER on `/getNumberRent`, against the bridge's own partner endpoint. From
 * then on every SMS of that SIM goes to the rent push URL. Null (narrated) when none was given.
 */
export async function rentOneSim(
  resellerUrl: string,
  apiKey: string,
  narrator: Narrator,
): Promise<DemoRent | null> {
  const call = async (path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await fetch(`${resellerUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ key: apiKey, ...body }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const services = await call('/getServicesRent', { action: 'GET_SERVICES' });
  const countries = (services.countryList ?? []) as Array<{
    operatorMap?: Record<string, Record<string, number>>;
  }>;
  const free = countries[0]?.operatorMap?.any?.rent ?? 0;
  narrator.say('onlinesim', `GET_SERVICES (rent) -> ${free} SIMs free for rent`);
  const answer = await call('/getNumberRent', {
    action: 'GET_NUMBER',
    country: 'russia',
    operator: 'any',
    service: 'rent',
    sum: DEMO_RENT.sum,
    days: DEMO_RENT.days,
  });
  if (answer.status !== 'SUCCESS') {
    narrator.say('onlinesim', `GET_NUMBER (rent) -> ${String(answer.status)}: no rent in this demo`);
    return null;
  }
  const rent = { operationId: Number(answer.activationId), phone: String(answer.number) };
  narrator.say(
    'onlinesim',
    `GET_NUMBER (rent) -> rent ${rent.operationId} on ${rent.phone} for ${DEMO_RENT.days} day: ` +
      'every SMS it gets goes to the rent push URL, and it takes no activation',
  );
  return rent;
}
