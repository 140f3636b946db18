import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CajalError } from '@cajal/core';

/** Resolve on SIGINT or SIGTERM (the server runs until then). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = (): void => done('SIGINT');
    const onTerm = (): void => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/** Parse a TCP port option (0 = any free port). */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CajalError('INVALID_ARGUMENT', `--port must be an integer 0-65535, got "${text}"`);
  return port;
}

/**
 * `cajal serve [--port N] [--host H] [--data DIR] [--database URL] [--redis URL] [--web DIR] [--no-demo]`:
 * the workbench (API + web app) on SQLite under the data folder and in-process jobs by
 * default, PostgreSQL and BullMQ workers when given URLs. On first start it prints the first
 * admin account (password generated, shown once) and makes a demo project with SIMULATED
 * recordings. Runs until Ctrl-C / SIGTERM.
 *
 * @example
 *   cajal serve --port 8080 --data ./cajal-data
 *   cajal serve --database postgres://db/cajal --redis redis://queue:6379
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the workbench (HTTP API + web app); SQLite and in-process jobs by default')
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--data <dir>', 'data folder: SQLite file, recordings store, temp files', '.cajal-data')
    .option('--database <url>', 'postgres://... to use PostgreSQL instead of SQLite')
    .option('--redis <url>', 'redis://... to run jobs on `cajal worker` processes (BullMQ)')
    .option('--web <dir>', 'built web app to serve (default apps/web/dist when built)')
    .option('--max-upload <bytes>', 'largest accepted upload in bytes', String(1024 ** 3))
    .option('--no-demo', 'do not create the demo project on first start')
    .action(async (options: { port: string; host: string; data: string; database?: string; redis?: string; web?: string; maxUpload: string; demo: boolean }) => {
      const port = parsePort(options.port);
      const maxUploadBytes = Number(options.maxUpload);
      if (!Number.isInteger(maxUploadBytes) || maxUploadBytes < 1) throw new CajalError('INVALID_ARGUMENT', `--max-upload must be a positive integer, got "${options.maxUpload}"`);
      const { startServer } = await import('@cajal/server');
      const server = await startServer({
        port, host: options.host, dataDir: options.data, maxUploadBytes,
        ...(options.database ? { databaseUrl: options.database } : {}),
        ...(options.redis ? { redisUrl: options.redis } : {}),
        ...(options.web ? { webDir: options.web } : {}),
      }, { demo: options.demo });
      const { config } = server.services;
      const out = process.stdout;
      out.write(`cajal workbench at ${server.url}/\n`);
      out.write(`  data: ${config.dataDir}\n  database: ${config.databaseUrl ? config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@') : 'SQLite (data folder)'}\n`);
      out.write(`  jobs: ${config.redisUrl ? `BullMQ on ${config.redisUrl} (start workers with: cajal worker --redis ${config.redisUrl})` : 'in-process worker pool'}\n`);
      const web = config.webDir && existsSync(join(config.webDir, 'index.html')) ? config.webDir : undefined;
      out.write(`  web app: ${web ?? `${config.webDir ? `no index.html in ${config.webDir}` : 'not built'} (API only; \`npm start\` builds apps/web)`}\n`);
      if (server.bootstrap.admin) {
        out.write(`\nFirst start: administrator account created (the password is shown only this once):\n  email:    ${server.bootstrap.admin.email}\n  password: ${server.bootstrap.admin.password}\n`);
        if (server.bootstrap.demoProjectId) out.write('  A demo project holds SIMULATED EEG recordings (made by the project, no real person).\n');
      }
      const signal = await untilSignal();
      out.write(`\n${signal}: stopping\n`);
      await server.close();
    });
}
