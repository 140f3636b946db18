/**
 * Errors from work nobody awaits (a connection dropped while idle, a notification read after
 * shutdown began) are reported here instead of crashing the process as unhandled 'error'
 * events or rejections would. They go to stderr with where they came from.
 */
export function reportBackgroundError(where: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`cajal: ${where}: ${message}\n`);
}
