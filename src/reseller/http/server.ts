import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { type Logger, silentLogger } from '../../log.js';
import type { ResellerStore } from '../../store/reseller-store.js';
import type { LiveSims } from '../live-sims.js';
import { ResellerService } from '../reseller-service.js';
import { authenticate } from './auth.js';
import { decodeRequestBody, encodeAnswer } from './gzip-body.js';
import { describeZodError, envelopeSchema, finishActivationSchema, getNumberSchema } from './schemas.js';

/** Tunables of the partner endpoint; every default follows onlinesim-reseller.md. */
export interface ResellerServerOptions {
  /**
   * How GET_NUMBER writes `number`: a JSON number (SMSHUB's type test, §4) or a string of
   * digits (§10 item 1 leaves it open). Default `number`.
   */
  numberFormat: 'number' | 'string';
  /** Largest request body accepted, after gzip decoding. Default 64 KiB. */
  bodyLimitBytes: number;
  /**
   * HTTP status of a missing or wrong key. Public agents answer 200 with an ERROR body (§9);
   * Onlinesim's auth page says 401 (§2). Default 200, the tolerant reading.
   */
  authErrorStatusCode: 200 | 401;
}

export const DEFAULT_RESELLER_SERVER_OPTIONS: ResellerServerOptions = {
  numberFormat: 'number',
  bodyLimitBytes: 64 * 1024,
  authErrorStatusCode: 200,
};

export interface ResellerServerDeps {
  /** The partner key (`onlinesim.apiKey`); never logged. */
  apiKey: string;
  store: ResellerStore;
  sims: LiveSims;
  log?: Logger;
  /** Clock for operation timestamps (epoch ms). */
  now?: () => number;
  options?: Partial<ResellerServerOptions>;
}

/** The documented actions, and the paths Onlinesim's docs draw for them (§1). */
const ACTION_PATHS = {
  GET_SERVICES: '/getServices',
  GET_NUMBER: '/getNumber',
  FINISH_ACTIVATION: '/finishActivation',
} as const;
type Action = keyof typeof ACTION_PATHS;

/** Rent (§7) needs partner-support activation and a separate lifecycle; not served yet. */
const RENT_PATHS = ['/getServicesRent', '/getNumberRent', '/finishActivationRent'] as const;

type Answer = { status: 'SUCCESS' | 'NO_NUMBERS' | 'ERROR'; [field: string]: unknown };

function errorAnswer(error: string): Answer {
  return { status: 'ERROR', error };
}

/**
 * The partner server Onlinesim calls (onlinesim-reseller.md §1-§5): one POST handler that
 * dispatches on the body's `action`, mounted at `/` and at the documented paths. Returned not
 * listening; the caller chooses the address (`reseller.listen`).
 *
 * Answers are JSON with `application/json; charset=utf-8`. Protocol-level failures (key, unknown
 * action, invalid fields) are HTTP 200 `{"status":"ERROR","error":...}` as public agents do
 * (§9); a body that cannot be read at all (bad JSON 400, too large 413, unknown encoding 415)
 * carries the same ERROR body with its HTTP status; a store failure is 500.
 */
export function buildResellerServer(deps: ResellerServerDeps): FastifyInstance {
  const options = { ...DEFAULT_RESELLER_SERVER_OPTIONS, ...deps.options };
  const log = (deps.log ?? silentLogger()).child({ layer: 'reseller' });
  const service = new ResellerService({ store: deps.store, sims: deps.sims, log, now: deps.now });
  const app = Fastify({ bodyLimit: options.bodyLimitBytes, logger: false });

  app.addHook('preParsing', decodeRequestBody);
  app.addHook('onSend', encodeAnswer);
  // Some peers omit or mislabel Content-Type (text/plain, none): every body is read as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? {} : JSON.parse(body as string));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? (/^Z_/.test(String(error.code)) ? 400 : 500);
    if (status >= 500) {
      log.error({ err: error }, 'reseller call failed');
      return reply.code(500).send(errorAnswer('INTERNAL_ERROR'));
    }
    const text =
      status === 413
        ? 'BODY_TOO_LARGE'
        : status === 415
          ? 'UNSUPPORTED_ENCODING'
          : 'BAD_REQUEST: unreadable body';
    log.warn({ status, code: error.code, message: error.message }, 'reseller call refused');
    return reply.code(status).send(errorAnswer(text));
  });

  const dispatch = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pathAction?: Action,
  ): Promise<Answer> => {
    const body: unknown = request.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return errorAnswer('BAD_REQUEST: body must be a JSON object');
    }
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) return errorAnswer(`BAD_REQUEST: ${describeZodError(envelope.error)}`);
    const auth = authenticate(envelope.data.key, request.headers.authorization, deps.apiKey);
    if (auth !== 'ok') {
      log.warn({ remote: request.ip, auth }, 'reseller call with a missing or wrong key');
      reply.code(options.authErrorStatusCode);
      return errorAnswer(auth === 'missing' ? 'ERROR_NO_KEY' : 'ERROR_WRONG_KEY');
    }
    const action = (envelope.data.action || pathAction || '').toUpperCase();
    switch (action) {
      case 'GET_SERVICES':
        return { status: 'SUCCESS', countryList: await service.services() };
      case 'GET_NUMBER': {
        const parsed = getNumberSchema.safeParse(body);
        if (!parsed.success) return errorAnswer(`BAD_REQUEST: ${describeZodError(parsed.error)}`);
        const answer = await service.number({
          ...parsed.data,
          sum: parsed.data.sum ?? null,
          exceptionPhoneSet: parsed.data.exceptionPhoneSet ?? undefined,
        });
        if (answer.kind === 'none') return { status: 'NO_NUMBERS' };
        return {
          status: 'SUCCESS',
          number: formatNumber(answer.phone, options.numberFormat),
          activationId: answer.activationId,
        };
      }
      case 'FINISH_ACTIVATION': {
        const parsed = finishActivationSchema.safeParse(body);
        if (!parsed.success) return errorAnswer(`BAD_REQUEST: ${describeZodError(parsed.error)}`);
        await service.finish({ ...parsed.data, sum: parsed.data.sum ?? null });
        return { status: 'SUCCESS' };
      }
      default:
        log.warn({ action: action.slice(0, 64) }, 'reseller call with an unknown action');
        return errorAnswer(
          action === '' ? 'BAD_REQUEST: action missing' : `UNKNOWN_ACTION: ${action.slice(0, 64)}`,
        );
    }
  };

  app.post('/', (request, reply) => dispatch(request, reply));
  for (const [action, path] of Object.entries(ACTION_PATHS) as Array<[Action, string]>) {
    app.post(path, (request, reply) => dispatch(request, reply, action));
  }
  for (const path of RENT_PATHS) {
    app.post(path, async () => errorAnswer('RENT_NOT_SUPPORTED'));
  }
  return app;
}

/** `number` carries the country code and no `+` (§4); a JSON number unless configured otherwise. */
function formatNumber(phone: string, format: ResellerServerOptions['numberFormat']): number | string {
  const digits = phone.replace(/\D/g, '');
  if (format === 'string') return digits;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : digits;
}
