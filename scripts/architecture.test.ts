/**
 * The layering of ../shared/DESIGN.md, enforced:
 * - imports only go downwards: core (0) <- formats, signal, sim, nn, tasks, viz, nof1 (1) <-
 *   learn, clinic (2) <- compare (3) <- the apps; a package imports only those its row of
 *   `allowed` names (so learn may use nn but not tasks, and clinic formats, signal and nn);
 * - tests of a library may also use a library of its own level (sim's tests check spikes with
 *   signal's spectra), never one above it;
 * - the apps never import each other, except the web's use of the server's types and the CLI's
 *   `serve` and `worker` commands, which start the server;
 * - files inside one package never import each other in a circle;
 * - library code imports Node-only modules only from files named for Node (`node.ts`,
 *   `*.node.ts`, or under a `node/` folder), tests or bench scripts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
/** DESIGN.md's levels, lowest first. */
const levels: readonly (readonly string[])[] = [['core'], ['formats', 'signal', 'sim', 'nn', 'tasks', 'viz', 'nof1'], ['learn', 'clinic'], ['compare']];
const level1 = levels[1] as readonly string[];
/** What each package may import of ours (DESIGN.md's layering table). */
const allowed: Record<string, readonly string[]> = {
  core: [],
  ...Object.fromEntries(level1.map((p) => [p, ['core']])),
  learn: ['core', 'nn'],
  clinic: ['core', 'formats', 'signal', 'nn'],
  compare: ['core', ...level1, 'learn', 'clinic'],
};
const libraryNames = Object.keys(allowed);
/** What a library's tests may import besides `allowed`: libraries of the same level. */
const levelOf = (p: string): number => levels.findIndex((level) => level.includes(p));
const testAllowed = (own: string, target: string): boolean =>
  target in allowed && own in allowed && levelOf(target) <= levelOf(own);
/** The apps may import any library; of each other, the web the server's types and the CLI the server. */
const appAllowed: Record<string, readonly string[]> = {
  cli: [...libraryNames, 'server'],
  server: libraryNames,
  web: [...libraryNames, 'server'],
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

/** The package folders under `packages` or `apps`. */
function folders(parent: 'packages' | 'apps'): string[] {
  return readdirSync(join(root, parent)).filter((p) => statSync(join(root, parent, p)).isDirectory());
}

/** The sources under `dir`, none when it does not exist. */
function sourcesUnder(dir: string): string[] {
  try {
    return listSources(dir);
  } catch {
    return [];
  }
}

/** Each file's text, read once for all the checks. */
const texts = new Map<string, string>();
const textOf = (file: string): string => {
  let text = texts.get(file);
  if (text === undefined) texts.set(file, (text = readFileSync(file, 'utf8')));
  return text;
};

function packageOf(path: string): string | undefined {
  const m = /^(?:packages|apps)\/([^/]+)\//.exec(relative(root, path));
  return m?.[1];
}

const isNodeFile = (path: string): boolean =>
  /(^|\/)node\.ts$|\.node\.ts$|\/node\/|\.test\.ts$|\/bench\/|\/test\//.test(relative(root, path));

/** Imports that load a module when the file is evaluated (`import type` and `export type` erase). */
function valueImportsOf(source: string): string[] {
  return importsOf(source.replace(/^\s*(?:import|export)\s+type\s[^;]*?from\s*['"][^'"]+['"];?/gm, ''));
}

/** The relative value imports of one file, resolved to files of the tree. */
function localImports(file: string, known: Set<string>): string[] {
  const out: string[] = [];
  for (const spec of valueImportsOf(textOf(file))) {
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
    const hit = candidates.find((c) => known.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

/** Every elementary circle found by a depth-first search, each reported once from its smallest member. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0] as string);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(rotated.join('\0'), [...rotated, rotated[0] as string]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()];
}

function findCycles(sources: string[]): string[][] {
  const known = new Set(sources);
  return cyclesOf(new Map(sources.map((f) => [f, localImports(f, known)])));
}

describe('architecture', () => {
  const libraries = folders('packages');
  const files = libraries.flatMap((p) => sourcesUnder(join(root, 'packages', p, 'src')));
  const apps = folders('apps');
  const appDirs = apps.map((p) => `apps/${p}`);
  const appFiles = appDirs.flatMap((dir) => sourcesUnder(join(root, dir)));

  it('finds library sources to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('knows every package in the tree', () => {
    expect(libraries.filter((p) => !(p in allowed))).toEqual([]);
    expect(apps.filter((p) => !(p in appAllowed))).toEqual([]);
  });

  it('imports only go downwards, and same-level libraries do not import each other', () => {
    const violations: string[] = [];
    for (const file of [...files, ...appFiles]) {
      const own = packageOf(file) as string;
      const may = allowed[own] ?? appAllowed[own] ?? [];
      for (const spec of importsOf(textOf(file))) {
        const m = /^@cajal\/([^/]+)/.exec(spec);
        if (!m) continue;
        const target = m[1] as string;
        if (target === own || may.includes(target)) continue;
        if (/\.test\.tsx?$/.test(file) && testAllowed(own, target)) continue;
        violations.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the web takes only types from the server', () => {
    // Its end-to-end tests and benches start a real server; the app itself only takes types.
    const web = appFiles.filter((f) => relative(root, f).startsWith('apps/web/src/'));
    const valueImports = web.flatMap((f) =>
      valueImportsOf(textOf(f)).filter((s) => s.startsWith('@cajal/server')).map((s) => `${relative(root, f)} imports ${s}`),
    );
    expect(valueImports).toEqual([]);
  });

  it('files inside a package do not import each other in a circle (type-only imports aside)', () => {
    const cycles: string[] = [];
    for (const pkg of [...libraries.map((p) => `packages/${p}`), ...appDirs]) {
      const inside = [...files, ...appFiles].filter((f) => relative(root, f).startsWith(`${pkg}/`));
      cycles.push(...findCycles(inside).map((c) => c.map((f) => relative(root, f)).join(' -> ')));
    }
    expect(cycles).toEqual([]);
  });

  it('the cycle finder finds a circle and passes a chain', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cyclesOf(graph).map((c) => c.join(' '))).toEqual(['a b c a']);
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('library code imports Node-only modules only from Node-specific files', () => {
    const violations: string[] = [];
    for (const file of files) {
      if (isNodeFile(file)) continue;
      for (const spec of importsOf(textOf(file))) {
        const bare = spec.split('/')[0] as string;
        if (nodeBuiltins.has(spec) || nodeBuiltins.has(bare) || nodeOnlyPackages.has(bare) || /(^|\/)node(\.ts)?$/.test(spec) && spec.startsWith('.')) {
          violations.push(`${relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
