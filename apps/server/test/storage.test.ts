import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { describeWith } from '@cajal/core/testing';
import { openStorage } from '../src/storage/kysely-storage.ts';
import { storageContract } from './storage.contract.ts';
import { createScratchDatabase, postgresAnswers, postgresUrl } from './services.ts';

describe('storage contract on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cajal-storage-'));
  storageContract(
    () => openStorage({ dataDir: dir }),
    async (storage) => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

const pgUp = await postgresAnswers();
describeWith('storage contract on PostgreSQL', pgUp, `needs PostgreSQL at ${postgresUrl} (CAJAL_TEST_PG_URL)`, () => {
  let drop: () => Promise<void> = async () => undefined;
  storageContract(
    async () => {
      const scratch = await createScratchDatabase();
      drop = scratch.drop;
      return openStorage({ databaseUrl: scratch.url });
    },
    async (storage) => {
      await storage.close();
      await drop();
    },
  );
});

describeWith('PostgreSQL connections the server ends', pgUp, `needs PostgreSQL at ${postgresUrl} (CAJAL_TEST_PG_URL)`, () => {
  it('an idle connection terminated by the server is reported, not fatal, and the next query reconnects', async () => {
    const scratch = await createScratchDatabase();
    const storage = await openStorage({ databaseUrl: scratch.url });
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await storage.listUnfinishedJobs()).toEqual([]);
      const name = new URL(scratch.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      const ended = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await admin.end();
      expect(ended.rows.length).toBeGreaterThan(0);
      for (let i = 0; i < 100 && !written.some((line) => line.includes('postgres (idle connection)')); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(written.join('')).toMatch(/cajal: postgres \(idle connection\): terminating connection/);
      expect(await storage.listUnfinishedJobs()).toEqual([]);
    } finally {
      spy.mockRestore();
      await storage.close();
      await scratch.drop();
    }
  });
});
