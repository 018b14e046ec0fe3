import { ICCID_PATTERN } from '../config/schema.js';
import { isGatewayError } from '../errors.js';
import type { Router } from './core/router.js';
import { errorReply } from './http-errors.js';

/**
 * `GET /api/sims` and `POST /api/sims/{iccid}/confirm` (README "Adding SIMs"): every SIM with its
 * number, where the number came from, whether it is confirmed, and its balance; and the
 * operator's confirmation of a discovered number, after which the SIM is offered to Onlinesim.
 * The confirm is a state change: with `admin.token` it needs the bearer token (admin-auth.ts).
 */

/** The SIM view the API passes through (src/sims `SimView`, whose other fields are sent as they are). */
export interface AdminSim {
  iccid: string;
  phone: string | null;
  confirmed: boolean;
  /** Latest balance by USSD, null when unknown (the status page shows it). */
  balance?: number | null;
  balanceAtMs?: number | null;
}

export interface AdminSims {
  list(): readonly AdminSim[] | Promise<readonly AdminSim[]>;
  /** Confirms the SIM's discovered number; throws a `_SIM_NOT_FOUND` error when it has none. */
  confirm(iccid: string): Promise<AdminSim>;
}

export function registerSimRoutes(router: Router, sims: AdminSims | undefined): void {
  router.get('/api/sims', async () => {
    if (!sims) return errorReply(404, 'HTTP_NOT_FOUND', 'the SIM list is not available');
    return { status: 200, body: [...(await sims.list())] };
  });

  router.post('/api/sims/:iccid/confirm', async (request) => {
    if (!sims) return errorReply(404, 'HTTP_NOT_FOUND', 'the SIM list is not available');
    const iccid = request.params.iccid ?? '';
    if (!ICCID_PATTERN.test(iccid)) {
      return errorReply(400, 'HTTP_BAD_REQUEST', 'iccid: expected an ICCID of 18 to 22 digits');
    }
    try {
      return { status: 200, body: await sims.confirm(iccid) };
    } catch (err) {
      if (isGatewayError(err) && err.code.endsWith('_SIM_NOT_FOUND')) {
        return errorReply(
          404,
          'HTTP_SIM_NOT_FOUND',
          `no number is known for SIM ${iccid}: nothing to confirm`,
        );
      }
      throw err;
    }
  });
}
