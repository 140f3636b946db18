import type { Command } from 'commander';

/**
 * Every sub-command registers itself through a function here. Each module owns one command
 * (or a family); add a line per module.
 */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
