import cliProgress from 'cli-progress';
import type { ProgressCallback } from '@cajal/core';

/**
 * A terminal progress bar on stderr (only when stderr is a TTY, so piped output stays clean),
 * plus an AbortSignal that Ctrl-C triggers, so long work can be cancelled cleanly.
 *
 * @example
 *   const task = startTask('reading');
 *   try { await work({ onProgress: task.onProgress, signal: task.signal }); } finally { task.stop(); }
 */
export interface CliTask {
  onProgress: ProgressCallback;
  signal: AbortSignal;
  stop(): void;
}

export function startTask(label: string, options: { quiet?: boolean } = {}): CliTask {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const show = !options.quiet && process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  let stage = label;
  const onProgress: ProgressCallback = (p) => {
    if (!show) return;
    const nextStage = p.stage ? `${label}: ${p.stage}` : label;
    if (!bar || nextStage !== stage) {
      bar?.stop();
      stage = nextStage;
      bar = new cliProgress.SingleBar(
        { format: `${stage} [{bar}] {percentage}% | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, p.total), 0);
    }
    bar.setTotal(Math.max(1, p.total));
    bar.update(p.done);
  };
  return {
    onProgress,
    signal: controller.signal,
    stop: () => {
      bar?.stop();
      process.off('SIGINT', onSigint);
    },
  };
}
