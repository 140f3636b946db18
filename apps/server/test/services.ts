/**
 * Test helpers for the services the suites need (PostgreSQL, Redis): whether they answer, and
 * fresh throw-away databases.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

export const postgresUrl = process.env['CAJAL_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5433/postgres';
export const redisUrl = process.env['CAJAL_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** True when a PostgreSQL server answers a query at `url`. */
export async function postgresAnswers(url = postgresUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when a TCP port answers (Redis). */
export async function portAnswers(url = redisUrl): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Create an empty database on the test server; returns its URL and a function that drops it. */
export async function createScratchDatabase(url = postgresUrl): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cajal_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
