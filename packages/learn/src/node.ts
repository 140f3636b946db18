import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CajalError, type Session } from '@cajal/core';
import { parseChoiceEngineeringCsv, parseHbayesdm } from './fit/io.ts';

/**
 * Node-only helpers of @cajal/learn: read behavioural data files from disk.
 *
 * @example
 *   const sessions = await readBehaviourPath('../shared/data/choice-engineering-bandit/1_6_vs_2_6');
 */

/** Read an hBayesDM-format text file. */
export async function readHbayesdmFile(path: string): Promise<Session[]> {
  return parseHbayesdm(await readFile(path, 'utf8'), { source: path });
}

/** Read one Choice Engineering CSV, or every *.csv under a folder (recursively, sorted). */
export async function readChoiceEngineeringPath(path: string): Promise<Session[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CajalError('NOT_FOUND', `no such file or folder: ${path}`, { file: path });
  if (info.isFile()) return [parseChoiceEngineeringCsv(await readFile(path, 'utf8'), { source: path })];
  const sessions: Session[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) sessions.push(...(await readChoiceEngineeringPath(full)));
    else if (entry.name.toLowerCase().endsWith('.csv')) sessions.push(parseChoiceEngineeringCsv(await readFile(full, 'utf8'), { source: full }));
  }
  return sessions;
}

/**
 * Read behaviour from a path, whatever its form: a folder or .csv (Choice Engineering) or an
 * hBayesDM text file (anything else).
 */
export async function readBehaviourPath(path: string): Promise<Session[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CajalError('NOT_FOUND', `no such file or folder: ${path}`, { file: path });
  if (info.isDirectory() || path.toLowerCase().endsWith('.csv')) return readChoiceEngineeringPath(path);
  return readHbayesdmFile(path);
}
