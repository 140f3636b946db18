/**
 * The core logger. Libraries never print: they log here, and the application decides where
 * the lines go (the CLI to stderr, the server to its log, tests nowhere).
 *
 * @example
 *   setLogger(consoleLogger('info'));
 *   getLogger().warn('channel has a zero physical range', { channel: 'Fp1' });
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const levelRank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Build a logger from one sink function; lines below `minLevel` are dropped. */
export function createLogger(
  sink: (level: LogLevel, message: string, fields?: Record<string, unknown>) => void,
  minLevel: LogLevel = 'info',
): Logger {
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (levelRank[level] >= levelRank[minLevel]) sink(level, message, fields);
  };
  return {
    log,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** A logger that discards everything (the default). */
export const silentLogger: Logger = createLogger(() => undefined, 'error');

/** A logger writing JSON-ish lines through console.error (for apps, not libraries). */
export function consoleLogger(minLevel: LogLevel = 'info'): Logger {
  return createLogger((level, message, fields) => {
    console.error(`[${level}] ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
  }, minLevel);
}

let current: Logger = silentLogger;

/** The process-wide logger libraries write to. */
export function getLogger(): Logger {
  return current;
}

/** Replace the process-wide logger; returns the previous one. */
export function setLogger(logger: Logger): Logger {
  const previous = current;
  current = logger;
  return previous;
}
