/**
 * `${NAME}` substitution (CONTRACT.md §2), applied to the string values of the parsed YAML tree
 * rather than to the raw text: a value such as a key with `:` or `#` in it then cannot change the
 * document's structure, and a missing variable can be reported with the key path it sits at.
 *
 * `${NAME:-default}` uses `default` when NAME is unset (as in POSIX shells).
 * `$${NAME}` is an escape and yields the literal text `${NAME}`.
 */

/** Where a referenced variable is not set. */
export interface MissingEnvVar {
  name: string;
  /** Key path, as in `onlinesim.apiKey` or `sims[2].phone`. */
  path: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Formats a key path the way error messages show it: `a.b[2].c`. */
export function formatKeyPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function substituteString(value: string, env: Env, path: string, missing: MissingEnvVar[]): string {
  return value.replace(REFERENCE, (whole, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped === '$') return whole.slice(1);
    const replacement = env[name] ?? fallback;
    if (replacement === undefined) {
      missing.push({ name, path });
      return '';
    }
    return replacement;
  });
}

function walk(node: unknown, env: Env, path: (string | number)[], missing: MissingEnvVar[]): unknown {
  if (typeof node === 'string') return substituteString(node, env, formatKeyPath(path), missing);
  if (Array.isArray(node)) return node.map((item, index) => walk(item, env, [...path, index], missing));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = walk(value, env, [...path, key], missing);
    return out;
  }
  return node;
}

/**
 * Returns a copy of `tree` with every `${NAME}` in string values replaced from `env`, and the list
 * of variables that were referenced but not set (replaced by the empty string meanwhile).
 */
export function substituteEnv(tree: unknown, env: Env): { value: unknown; missing: MissingEnvVar[] } {
  const missing: MissingEnvVar[] = [];
  const value = walk(tree, env, [], missing);
  return { value, missing };
}
