/**
 * A vitest reporter that repeats, after the summary, a short line for each failed test, each
 * failed module or hook and each unhandled error. CI logs are often read from their tail; the
 * default reporter prints these details first and the summary last, so a tail shows only the
 * counts.
 */
import type { Reporter, TestModule } from 'vitest/node';

interface ShortError {
  message?: string;
  name?: string;
  stack?: string;
  /** Set by vitest on unhandled errors: the module, and the test when one was running. */
  VITEST_TEST_PATH?: unknown;
  VITEST_TEST_NAME?: unknown;
}

function firstFrame(stack: string | undefined): string {
  const frame = stack?.split('\n').find((line) => /^\s+at /.test(line));
  return frame ? ` (${frame.trim()})` : '';
}

function describeError(error: ShortError): string {
  const text = `${error.name ?? 'Error'}: ${(error.message ?? '').split('\n')[0]}`;
  return `${text.length > 300 ? `${text.slice(0, 300)}...` : text}${firstFrame(error.stack)}`;
}

export default class TailReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<ShortError>): void {
    const lines: string[] = [];
    for (const module of testModules) {
      for (const error of module.errors()) lines.push(`module ${module.relativeModuleId}: ${describeError(error)}`);
      for (const test of module.children.allTests('failed')) {
        const result = test.result();
        const error = result.state === 'failed' ? result.errors[0] : undefined;
        lines.push(`FAIL ${module.relativeModuleId} > ${test.fullName}${error ? `: ${describeError(error)}` : ''}`);
      }
    }
    for (const error of unhandledErrors) {
      const origin = typeof error.VITEST_TEST_PATH === 'string' ? ` in ${error.VITEST_TEST_PATH}` : '';
      const test = typeof error.VITEST_TEST_NAME === 'string' ? ` during "${error.VITEST_TEST_NAME}"` : '';
      lines.push(`unhandled${origin}${test}: ${describeError(error)}`);
    }
    if (lines.length === 0) return;
    process.stdout.write(`\nWhat went wrong, in short (details above):\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
  }
}
