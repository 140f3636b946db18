import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
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
