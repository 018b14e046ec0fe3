import { compileSenderFilter } from '../config/sender-filter.js';
import type { RouteDecision } from '../store/repository.js';

/**
 * Sender deny-list: regular expressions, plain strings in the config syntax (`/regex/flags`, or a
 * case-insensitive substring), or an already compiled predicate.
 */
export type DenySenders = readonly (string | RegExp)[] | ((sender: string) => boolean);

/** Compiles a deny-list once; the result is true when the sender must never be pushed. */
export function compileDenyList(deny: DenySenders | undefined): (sender: string) => boolean {
  if (deny === undefined) return () => false;
  if (typeof deny === 'function') return deny;
  const regexes = deny.filter((p): p is RegExp => p instanceof RegExp);
  const strings = compileSenderFilter(deny.filter((p): p is string => typeof p === 'string'));
  return (sender) => strings(sender) || regexes.some((r) => r.test(sender));
}

/**
 * Decides what happens to a message before the store looks up the operation (issue "The durable
 * pipeline", Operations): a denied sender is `filtered`, an unknown SIM phone is `no_phone`
 * (stored as `no_operation`), anything else is pushed if the phone has an active operation.
 */
export function decideRoute(
  sender: string | null,
  phone: string | null,
  isDenied: (sender: string) => boolean,
): RouteDecision {
  if (sender !== null && isDenied(sender)) return { kind: 'filtered' };
  if (phone === null) return { kind: 'no_phone' };
  return { kind: 'push', phone };
}
