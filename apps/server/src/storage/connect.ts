/**
 * Open the database: SQLite (better-sqlite3, WAL) at `<dataDir>/cajal.sqlite` by default, or
 * PostgreSQL when given a `postgres://` URL. Migrations run on open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { CajalError } from '@cajal/core';
import { reportBackgroundError } from '../background.ts';
import { migrationProvider } from './migrations.ts';
import type { Dialect } from './migrations.ts';
import type { Database } from './schema.ts';

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where it is, with any password removed (for logs). */
  description: string;
}

// PostgreSQL's int8 (bigint, count(*)) arrives as a string by default; the sizes stored here fit
// in a double exactly.
pg.types.setTypeParser(20, (value: string) => Number(value));

/**
 * Open (and migrate) the database named by `databaseUrl`, or the SQLite file under `dataDir`.
 *
 * @example
 *   const { db } = await openDatabase({ dataDir: '.cajal-data' });
 *   const { db: shared } = await openDatabase({ databaseUrl: 'postgres://cajal@db/cajal' });
 */
export async function openDatabase(options: { dataDir?: string; databaseUrl?: string }): Promise<OpenedDatabase> {
  const url = options.databaseUrl;
  let opened: OpenedDatabase;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client whose connection the server ends (restart, terminated backend) makes the
    // pool emit 'error'; unheard, that would crash the process. The pool drops that client.
    pool.on('error', (error) => reportBackgroundError('postgres (idle connection)', error));
    opened = {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      description: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
    };
  } else {
    let file: string;
    if (url) {
      file = url.replace(/^sqlite:(\/\/)?/, '');
    } else {
      if (!options.dataDir) throw new CajalError('INVALID_ARGUMENT', 'openDatabase needs a dataDir or a databaseUrl', { field: 'dataDir' });
      mkdirSync(options.dataDir, { recursive: true });
      file = join(options.dataDir, 'cajal.sqlite');
    }
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('synchronous = NORMAL');
    opened = { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), dialect: 'sqlite', description: file };
  }
  const migrator = new Migrator({ db: opened.db, provider: migrationProvider(opened.dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await opened.db.destroy();
    throw new CajalError('INTERNAL', `database migration failed on ${opened.description}: ${(error as Error).message}`);
  }
  return opened;
}
