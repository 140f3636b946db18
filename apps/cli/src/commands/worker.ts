import type { Command } from 'commander';
import { CajalError } from '@cajal/core';
import { untilSignal } from './serve.ts';

const positive = (text: string, name: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CajalError('INVALID_ARGUMENT', `--${name} must be a positive integer, got "${text}"`);
  return value;
};

/**
 * `cajal worker --redis URL [--data DIR] [--database URL] [--concurrency N]`: a job worker
 * (BullMQ) that takes jobs from Redis and writes results to the shared database. It runs the
 * server's job kinds: "analyze" (`@cajal/signal`'s default analysis of a recording) and
 * "checksum" built in, and any kind added with `registerJobHandler`. Start any number, on any hosts that see the same database and data folder.
 * A job whose worker dies is handed to another when its lock expires (--lock-ms).
 *
 * @example
 *   cajal worker --redis redis://queue:6379 --database postgres://db/cajal --data /mnt/cajal
 */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run jobs from a Redis queue (BullMQ) for `cajal serve --redis URL`')
    .requiredOption('--redis <url>', 'redis://host:port of the queue')
    .option('--data <dir>', 'data folder shared with the server (recordings store; SQLite file)', '.cajal-data')
    .option('--database <url>', 'postgres://... shared with the server (default: SQLite in the data folder)')
    .option('--concurrency <n>', 'jobs run at once by this worker', '1')
    .option('--lock-ms <ms>', 'job lock duration; a dead worker\'s job is retried after it', '30000')
    .option('--stalled-ms <ms>', 'how often to look for jobs of dead workers', '30000')
    .option('--queue <name>', 'queue name (the server uses "cajal-jobs")', 'cajal-jobs')
    .action(async (options: { redis: string; data: string; database?: string; concurrency: string; lockMs: string; stalledMs: string; queue: string }) => {
      if (!/^rediss?:\/\//.test(options.redis)) throw new CajalError('INVALID_ARGUMENT', `--redis must be a redis:// URL, got "${options.redis}"`);
      const { startWorkerProcess } = await import('@cajal/server');
      const worker = await startWorkerProcess({
        redisUrl: options.redis, dataDir: options.data,
        ...(options.database ? { databaseUrl: options.database } : {}),
        concurrency: positive(options.concurrency, 'concurrency'),
        lockDurationMs: positive(options.lockMs, 'lock-ms'),
        stalledIntervalMs: positive(options.stalledMs, 'stalled-ms'),
        queue: options.queue,
      });
      process.stdout.write(`cajal worker ${worker.name} ready (queue on ${options.redis})\n`);
      const signal = await untilSignal();
      process.stdout.write(`${signal}: finishing the current job and stopping\n`);
      await worker.close();
    });
}
