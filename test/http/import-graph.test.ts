import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Relative imports (type-only ones too) of every .ts file under `roots`, by absolute path. */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const source = readFileSync(path, 'utf8');
        const targets = [...source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
          resolve(dirname(path), `${m[1]}.ts`),
        );
        graph.set(path, targets);
      }
    }
  };
  for (const root of roots) walk(resolve(root));
  return graph;
}

/** Every cycle found by a depth-first walk, as the files on it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('HTTP modules', () => {
  it('import each other without a circle (admin deps, status page, servers, metrics)', () => {
    const graph = importGraph(['src/http', 'src/reseller/http']);
    expect(graph.size).toBeGreaterThan(10);
    const root = resolve('.');
    expect(cycles(graph).map((cycle) => cycle.map((file) => file.slice(root.length + 1)))).toEqual([]);
  });
});
