import type { RouteDecision } from '../store/repository.js';

/**
 * Decides what happens to a message before the store looks up the operation (README, "How an
 * SMS travels"): a denied sender is `filtered`, an unknown SIM phone is `no_phone` (stored as
 * `no_operation`), anything else is pushed if the phone has an active operation.
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
