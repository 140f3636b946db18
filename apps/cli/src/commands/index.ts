import type { Command } from 'commander';
import { register as registerInfo } from './info.ts';
import { register as registerConvert } from './convert.ts';
import { register as registerDemo } from './demo.ts';
import { register as registerAnalyze } from './analyze.ts';
import { register as registerNn } from './nn.ts';
import { register as registerServe } from './serve.ts';
import { register as registerWorker } from './worker.ts';
import { register as registerTrain } from './train.ts';
import { register as registerFit } from './fit.ts';
import { register as registerSimulate } from './simulate.ts';
import { register as registerSweep } from './sweep.ts';

/**
 * Every sub-command registers itself through a function here. Each module owns one command
 * (or a family); add a line per module.
 */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerInfo, registerConvert, registerDemo, registerAnalyze, registerNn, registerServe, registerWorker, registerTrain, registerFit, registerSimulate, registerSweep];
