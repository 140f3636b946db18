/**
 * Shared by the CLI's tests: run `cajal` in-process with stdout and stderr captured, and a
 * temporary folder removed after the file's tests. Test-only (imports vitest and node:*).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';
import { runCli } from './program.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI with `argv` (without the program name), capturing what it writes.
 * `during` runs right after the command starts (to send an abort, say).
 */
export async function captureCli(argv: string[], during?: () => void): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const running = runCli(argv);
    during?.();
    const code = await running;
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A new temporary folder, removed when the calling test file's tests are done. */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
