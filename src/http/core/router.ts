import type { HttpHandler } from './types.js';

interface Route {
  method: string;
  segments: string[];
  handler: HttpHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: HttpHandler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * Exact paths and `:name` segments, nothing more: the admin API and the partner endpoint have a
 * dozen routes between them. A GET route also answers HEAD.
 */
export class Router {
  readonly #routes: Route[] = [];

  on(method: string, path: string, handler: HttpHandler): this {
    this.#routes.push({ method: method.toUpperCase(), segments: split(path), handler });
    return this;
  }

  get(path: string, handler: HttpHandler): this {
    return this.on('GET', path, handler);
  }

  post(path: string, handler: HttpHandler): this {
    return this.on('POST', path, handler);
  }

  delete(path: string, handler: HttpHandler): this {
    return this.on('DELETE', path, handler);
  }

  match(method: string, path: string): RouteMatch {
    const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    const segments = split(path);
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (params === null) continue;
      if (route.method === wanted) return { kind: 'found', handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = actual[i] as string;
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return null;
      }
    } else if (want !== got) return null;
  }
  return params;
}
