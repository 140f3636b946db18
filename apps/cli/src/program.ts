import { Command, CommanderError } from 'commander';
import { consoleLogger, isCajalError, setLogger } from '@cajal/core';
import { commands } from './commands/index.ts';

/** Build the `cajal` command with every registered sub-command. */
export function createProgram(): Command {
  const program = new Command('cajal')
    .description('Cajal: brains and machines studied with the same tools')
    .version('0.1.0')
    .option('--verbose', 'log debug lines to stderr')
    .showHelpAfterError(false)
    .exitOverride();
  program.hook('preAction', (cmd) => {
    setLogger(consoleLogger(cmd.optsWithGlobals()['verbose'] ? 'debug' : 'warn'));
  });
  for (const register of commands) register(program);
  return program;
}

/**
 * Run the CLI with `argv` (without node and script). Returns the exit code: 0 on success,
 * 1 on bad input (one line on stderr naming the problem), 2 on a usage error, 130 on Ctrl-C.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isCajalError(error, 'ABORTED')) {
      process.stderr.write('cajal: cancelled\n');
      return 130;
    }
    if (isCajalError(error)) {
      process.stderr.write(`cajal: ${error.message} [${error.code}]\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cajal: ${message}\n`);
    if (process.env['CAJAL_DEBUG']) console.error(error);
    return 1;
  }
}
