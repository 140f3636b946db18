/** Placeholder replaced below once apps/server exports its start function. */
export async function startBenchServer(_dist: string): Promise<{ url: string; recordingId: string; cookies: { name: string; value: string }[]; stop: () => Promise<void>; description: string }> {
  throw new Error('apps/server has no start function yet: run with --mock');
}
