import type { Logger } from '../../log.js';
import type { RentService } from '../rent-service.js';
import type { ResellerService } from '../reseller-service.js';
import { type AuthResult, authenticate } from './auth.js';
import {
  describeZodError,
  envelopeSchema,
  finishActivationSchema,
  getNumberRentSchema,
  getNumberSchema,
} from './schemas.js';

/** The documented actions, and the paths Onlinesim's docs draw for them (onlinesim-reseller.md §1). */
export const ACTION_PATHS = {
  GET_SERVICES: '/getServices',
  GET_NUMBER: '/getNumber',
  FINISH_ACTIVATION: '/finishActivation',
} as const;
export type Action = keyof typeof ACTION_PATHS;

/** What the access log and the request counter call an action: a bounded set. */
export type ActionLabel = Action | 'RENT' | 'UNKNOWN' | 'NONE';

export type Answer = { status: 'SUCCESS' | 'NO_NUMBERS' | 'ERROR'; [field: string]: unknown };

export function errorAnswer(error: string): Answer {
  return { status: 'ERROR', error };
}

export interface DispatchContext {
  apiKey: string;
  service: ResellerService;
  /** Rent calls, when `reseller.rent.enabled`; null answers them as ordinary calls. */
  rent: RentService | null;
  log: Logger;
  numberFormat: 'number' | 'string';
  remoteAddress: string | undefined;
  authorization: string | undefined;
}

export interface Dispatched {
  answer: Answer;
  action: ActionLabel;
  /** Set when the key was missing or wrong (answered with the configured status). */
  auth: AuthResult;
}

/**
 * One v1 call: the envelope, the key, then the action from the body or the path. A call is for
 * rent when it came on a `*Rent` path (`rentPath`) or its `service` is a rent service (§1).
 */
export async function dispatch(
  body: unknown,
  ctx: DispatchContext,
  pathAction?: Action,
  rentPath = false,
): Promise<Dispatched> {
  const refused = (answer: Answer, action: ActionLabel = 'NONE'): Dispatched => ({
    answer,
    action,
    auth: 'ok',
  });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refused(errorAnswer('BAD_REQUEST: body must be a JSON object'));
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return refused(errorAnswer(`BAD_REQUEST: ${describeZodError(envelope.error)}`));
  const action = (envelope.data.action || pathAction || '').toUpperCase();
  const label = actionLabel(action);
  const auth = authenticate(envelope.data.key, ctx.authorization, ctx.apiKey);
  if (auth !== 'ok') {
    ctx.log.warn({ remote: ctx.remoteAddress, auth }, 'reseller call with a missing or wrong key');
    return {
      answer: errorAnswer(auth === 'missing' ? 'ERROR_NO_KEY' : 'ERROR_WRONG_KEY'),
      action: label,
      auth,
    };
  }
  const done = (answer: Answer): Dispatched => ({ answer, action: label, auth });
  switch (action) {
    case 'GET_SERVICES':
      return done({ status: 'SUCCESS', countryList: await ctx.service.services() });
    case 'GET_NUMBER': {
      const service = (body as { service?: unknown }).service;
      if (ctx.rent && (rentPath || (typeof service === 'string' && ctx.rent.isRentService(service)))) {
        return done(await rentNumber(body as Record<string, unknown>, ctx.rent, ctx.numberFormat));
      }
      const parsed = getNumberSchema.safeParse(body);
      if (!parsed.success) return done(errorAnswer(`BAD_REQUEST: ${describeZodError(parsed.error)}`));
      const answer = await ctx.service.number({
        ...parsed.data,
        sum: parsed.data.sum ?? null,
        exceptionPhoneSet: parsed.data.exceptionPhoneSet ?? undefined,
      });
      if (answer.kind === 'none') return done({ status: 'NO_NUMBERS' });
      return done({
        status: 'SUCCESS',
        number: formatNumber(answer.phone, ctx.numberFormat),
        activationId: answer.activationId,
      });
    }
    case 'FINISH_ACTIVATION': {
      const parsed = finishActivationSchema.safeParse(body);
      if (!parsed.success) return done(errorAnswer(`BAD_REQUEST: ${describeZodError(parsed.error)}`));
      await ctx.service.finish({ ...parsed.data, sum: parsed.data.sum ?? null });
      return done({ status: 'SUCCESS' });
    }
    default:
      ctx.log.warn({ action: action.slice(0, 64) }, 'reseller call with an unknown action');
      return done(
        errorAnswer(action === '' ? 'BAD_REQUEST: action missing' : `UNKNOWN_ACTION: ${action.slice(0, 64)}`),
      );
  }
}

/** GET_NUMBER (rent): same fields and answers as GET_NUMBER, plus the rent's length. */
async function rentNumber(
  body: Record<string, unknown>,
  rent: RentService,
  numberFormat: 'number' | 'string',
): Promise<Answer> {
  const parsed = getNumberRentSchema.safeParse(body);
  if (!parsed.success) return errorAnswer(`BAD_REQUEST: ${describeZodError(parsed.error)}`);
  const days = rent.daysOf(body);
  if (!days.ok) return errorAnswer(`BAD_REQUEST: ${days.error}`);
  const answer = await rent.number(
    {
      country: parsed.data.country,
      operator: parsed.data.operator,
      sum: parsed.data.sum ?? null,
      exceptionPhoneSet: parsed.data.exceptionPhoneSet ?? undefined,
    },
    days.days,
  );
  if (answer.kind === 'none') return { status: 'NO_NUMBERS' };
  return {
    status: 'SUCCESS',
    number: formatNumber(answer.phone, numberFormat),
    activationId: answer.activationId,
  };
}

function actionLabel(action: string): ActionLabel {
  if (action === '') return 'NONE';
  return action in ACTION_PATHS ? (action as Action) : 'UNKNOWN';
}

/** `number` carries the country code and no `+` (§4); a JSON number unless configured otherwise. */
function formatNumber(phone: string, format: 'number' | 'string'): number | string {
  const digits = phone.replace(/\D/g, '');
  if (format === 'string') return digits;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : digits;
}
