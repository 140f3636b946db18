/**
 * The layering of ../shared/DESIGN.md, enforced: imports only go downwards
 * (core <- formats, signal, sim, learn, tasks <- clinic <- apps); the same-level packages do
 * not import each other from library code; library code imports Node-only modules only from
 * files named for Node (`node.ts`, `*.node.ts`, or under a `node/` folder) or bench scripts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const rank: Record<string, number> = {
  core: 0, formats: 1, signal: 1, sim: 1, learn: 1, tasks: 1, clinic: 2, cli: 3, server: 3, web: 3,
};
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const nodeOnlyPackages = new Set(['better-sqlite3', 'pg', 'bullmq', 'ioredis', 'piscina', 'cli-progress', 'commander']);

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (/\.(ts|tsx|mts)$/.test(entry)) out.push(path);
  }
  return out;
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) specs.push((match[1] ?? match[2] ?? match[3]) as string);
  return specs;
}

function packageOf(path: string): string | undefined {
  const m = /^(?:packages|apps)\/([^/]+)\//.exec(relative(root, path));
  return m?.[1];
}

const isNodeFile = (path: string): boolean =>
  /(^|\/)node\.ts$|\.node\.ts$|\/node\/|\.test\.ts$|\/bench\/|\/test\//.test(relative(root, path));

describe('architecture', () => {
  const libraries = readdirSync(join(root, 'packages')).filter((p) => statSync(join(root, 'packages', p)).isDirectory());
  const files = libraries.flatMap((p) => {
    const src = join(root, 'packages', p, 'src');
    try {
      return listSources(src);
    } catch {
      return [];
    }
  });

  it('finds library sources to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('imports only go downwards, and same-level libraries do not import each other', () => {
    const violations: string[] = [];
    for (const file of files) {
      const own = packageOf(file) as string;
      const isTest = /\.test\.ts$/.test(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const m = /^@cajal\/([^/]+)/.exec(spec);
        if (!m) continue;
        const target = m[1] as string;
        if (target === own) continue;
        const ok = (rank[target] ?? 99) < (rank[own] ?? -1) || (isTest && (rank[target] ?? 99) <= (rank[own] ?? -1));
        if (!ok) violations.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('library code imports Node-only modules only from Node-specific files', () => {
    const violations: string[] = [];
    for (const file of files) {
      if (isNodeFile(file)) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const bare = spec.split('/')[0] as string;
        if (nodeBuiltins.has(spec) || nodeBuiltins.has(bare) || nodeOnlyPackages.has(bare) || /(^|\/)node(\.ts)?$/.test(spec) && spec.startsWith('.')) {
          violations.push(`${relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
