import { isGatewayError, messageWithoutCode } from '../errors.js';

/**
 * One line saying why the store refused a write, for `/healthz` and the status page: the
 * product's message and the driver's cause (never a connection URL: pg does not put one in).
 */
export function describeStoreProblem(err: unknown): string {
  if (!(err instanceof Error)) return 'the store does not accept writes';
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const head =
    isGatewayError(err) && err.code === 'STORE_UNAVAILABLE'
      ? messageWithoutCode(err)
      : 'the store does not accept writes';
  return `${head}${cause}`.slice(0, 300);
}
