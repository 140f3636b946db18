/**
 * Test helpers for suites that use ../shared (real data, reference outputs). Outside this
 * project's CI a missing ../shared skips the suite with a clear message; with CI=true it fails.
 *
 * @example
 *   const data = sharedPath('data', 'bonn-eeg');
 *   describeShared('Bonn EEG', ['data/bonn-eeg'], () => { it(...) });
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';

/** The repository root (two levels above packages/core). */
export const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..');

/** Where ../shared is: $CAJAL_SHARED, else the folder beside the repository. */
export const sharedRoot = process.env['CAJAL_SHARED'] ?? resolve(repositoryRoot, '..', 'shared');

/** A path inside ../shared. */
export function sharedPath(...parts: string[]): string {
  return join(sharedRoot, ...parts);
}

/** True when every listed path (relative to ../shared) exists. */
export function hasShared(...relativePaths: string[]): boolean {
  return relativePaths.every((p) => existsSync(join(sharedRoot, p)));
}

/**
 * `describe` that needs files in ../shared. When they are missing: in CI (CI=true) a failing
 * test says which; elsewhere the suite is skipped with the same message.
 */
export function describeShared(name: string, required: string[], body: () => void): void {
  const missing = required.filter((p) => !existsSync(join(sharedRoot, p)));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const message = `needs ${missing.map((m) => join(sharedRoot, m)).join(', ')} (../shared is absent)`;
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('has its shared data', () => {
        throw new Error(message);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${message}`, body);
  }
}

/**
 * Same for services (PostgreSQL, Redis, Chromium): `available` false skips outside CI and
 * fails in CI.
 */
export function describeWith(name: string, available: boolean, why: string, body: () => void): void {
  if (available) {
    describe(name, body);
  } else if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(why);
      });
    });
  } else {
    describe.skip(`${name} — skipped: ${why}`, body);
  }
}

/** Path of Debian's Chromium, or undefined when not installed. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

/** The flags every browser test launches Chromium with. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
