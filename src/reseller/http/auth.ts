import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented key with the configured one in constant time for equal lengths. Keys of
 * another length are refused after a comparison of the same cost, so timing tells at most the
 * length (onlinesim-reseller.md §2).
 */
export function keysMatch(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The key from `Authorization: Bearer <key>`, or undefined. */
export function bearerKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

export type AuthResult = 'ok' | 'missing' | 'wrong';

/** v1 sends the key in the body, the endpoint pages ask for a Bearer header: accept either (§2). */
export function authenticate(
  bodyKey: string | undefined,
  authorization: string | undefined,
  expected: string,
): AuthResult {
  const candidates = [bodyKey, bearerKey(authorization)].filter(
    (key): key is string => typeof key === 'string' && key.length > 0,
  );
  if (candidates.length === 0) return 'missing';
  // Check every presented key so the answer time does not depend on which one matched.
  let ok = false;
  for (const key of candidates) ok = keysMatch(key, expected) || ok;
  return ok ? 'ok' : 'wrong';
}
