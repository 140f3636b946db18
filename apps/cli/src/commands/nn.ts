import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CajalError, isCajalError } from '@cajal/core';
import { loadTrainingDataset } from '@cajal/compare/node';
import * as nn from '@cajal/nn';
import * as nnNode from '@cajal/nn/node';
import { startTask } from '../progress.ts';
import { escapeHtml, type Series, lineChart } from '@cajal/viz';
import { renderReport, table } from '../report/html.ts';

/**
 * `cajal nn train CONFIG [--json OUT] [--html OUT] [--weights BASE] [--onnx OUT]`: train the
 * network a JSON config describes (model spec, data set, optimiser; see
 * packages/nn/README.md and packages/nn/src/examples/*.json). A progress bar
 * runs on stderr (a line per epoch when stderr is not a terminal); Ctrl-C stops cleanly (exit
 * 130) and still finalises the report. The HTML report is rewritten after every epoch with a
 * meta refresh, so a browser showing it follows the loss curve live; the last write drops the
 * refresh.
 *
 * @example
 *   cajal nn train packages/nn/src/examples/bonn-cnn.json --html bonn.html --json bonn.json
 */
interface TrainFlags {
  json?: string;
  html?: string;
  weights?: string;
  onnx?: string;
  epochs?: string;
  refresh: string;
  quiet?: boolean;
}

type Status = 'running' | 'finished' | 'cancelled';

interface ReportState {
  name: string;
  configPath: string;
  config: nn.TrainConfig;
  description: Record<string, unknown>;
  parameters: number;
  history: nn.EpochRecord[];
  status: Status;
  final?: nn.TrainingRun['final'];
}

/** The HTML report: loss and accuracy curves (train and validation) and the epoch table. */
export function renderTrainingReport(state: ReportState, refreshSeconds: number): string {
  const epochs = state.history.map((r) => r.epoch);
  const series = (pick: (r: nn.EpochRecord) => number | undefined, name: string): Series | null => {
    const points = state.history.filter((r) => pick(r) !== undefined);
    return points.length > 0 ? { name, x: points.map((r) => r.epoch), y: points.map((r) => pick(r) as number) } : null;
  };
  const loss = [series((r) => r.train_loss, 'train'), series((r) => r.validation_loss, 'validation')].filter((s): s is Series => s !== null);
  const accuracy = [series((r) => r.train_accuracy, 'train'), series((r) => r.validation_accuracy, 'validation')].filter((s): s is Series => s !== null);
  const sections = [];
  if (epochs.length === 0) sections.push({ heading: 'Loss', body: '<p>Waiting for the first epoch…</p>' });
  else {
    sections.push({ heading: 'Loss', body: lineChart(loss, { id: 'loss', title: 'Loss per epoch', xLabel: 'epoch', yLabel: state.config.training?.loss ?? 'cross-entropy' }) });
    if (accuracy.length > 0) sections.push({ heading: 'Accuracy', body: lineChart(accuracy, { id: 'accuracy', title: 'Accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy', yDomain: [0, 1] }) });
    sections.push({
      heading: 'Epochs',
      body: table(
        ['epoch', 'train loss', 'train acc', 'val loss', 'val acc', 'learning rate', 'seconds'],
        state.history.map((r) => [r.epoch, r.train_loss, r.train_accuracy ?? '', r.validation_loss ?? '', r.validation_accuracy ?? '', r.learning_rate, r.seconds]),
      ),
    });
  }
  sections.push({ heading: 'Data', body: table(['field', 'value'], Object.entries(state.description).map(([k, v]) => [k, typeof v === 'number' ? v : JSON.stringify(v)])) });
  sections.push({ heading: 'Config', body: `<pre>${escapeHtml(JSON.stringify(nn.formatTrainConfig(state.config), null, 1))}</pre>` });
  const facts: Array<[string, string | number]> = [
    ['status', state.status],
    ['config', state.configPath],
    ['parameters', state.parameters],
    ['epochs done', `${state.history.length} / ${state.config.training?.epochs ?? 10}`],
  ];
  const last = state.history[state.history.length - 1];
  if (last) facts.push(['last train loss', last.train_loss]);
  if (state.final) {
    facts.push([`final ${state.final.on} loss`, state.final.loss]);
    if (state.final.accuracy !== undefined) facts.push([`final ${state.final.on} accuracy`, state.final.accuracy]);
  }
  const html = renderReport({ title: `nn train: ${state.name}`, subtitle: state.status === 'running' ? `training… this page reloads every ${refreshSeconds} s` : `training ${state.status}`, facts, sections });
  return state.status === 'running' ? html.replace('<meta charset="utf-8">', `<meta charset="utf-8"><meta http-equiv="refresh" content="${refreshSeconds}">`) : html;
}

/** Write atomically (a browser reloading the report never sees half a file). */
async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

async function train(configPath: string, flags: TrainFlags): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CajalError('NOT_FOUND', `config ${configPath} not found`, { file: configPath });
    throw new CajalError('PARSE_ERROR', `${configPath}: ${(error as Error).message}`, { file: configPath });
  }
  const config = nn.parseTrainConfig(parsed);
  if (flags.epochs !== undefined) {
    const epochs = Number(flags.epochs);
    if (!Number.isInteger(epochs) || epochs < 1) throw new CajalError('INVALID_ARGUMENT', `--epochs must be a positive integer, got "${flags.epochs}"`, { field: 'epochs' });
    config.training = { ...config.training, epochs };
  }
  if (flags.weights && flags.json && resolve(`${flags.weights.replace(/\.(json|bin)$/, '')}.json`) === resolve(flags.json)) {
    throw new CajalError('INVALID_ARGUMENT', `--weights ${flags.weights} would write ${flags.json}, the --json output; pick another name`, { field: 'weights' });
  }
  const refresh = Number(flags.refresh);
  if (!(refresh >= 1)) throw new CajalError('INVALID_ARGUMENT', `--refresh must be at least 1 second, got "${flags.refresh}"`, { field: 'refresh' });
  // WebAssembly SIMD matrix products when the engine has them (importing @cajal/nn installs nothing).
  await nn.loadWasmGemm();
  const data = await loadTrainingDataset(config.dataset, { baseDir: dirname(resolve(configPath)), seed: config.training?.seed ?? 0 });
  const name = config.name ?? configPath;
  const state: ReportState = { name, configPath, config, description: { ...data.description, train_samples: data.train.count, validation_samples: data.validation?.count ?? 0 }, parameters: nn.buildModel(config.model).parameterCount(), history: [], status: 'running' };
  const writeHtml = async (): Promise<void> => {
    if (flags.html) await writeAtomic(flags.html, renderTrainingReport(state, refresh));
  };
  await writeHtml();
  const task = startTask('training', { quiet: flags.quiet === true });
  const lines = !flags.quiet && process.stderr.isTTY !== true;
  const started = Date.now();
  let run: nn.TrainingRun | undefined;
  try {
    run = await nn.runTraining(config, data, {
      signal: task.signal,
      // One bar for the whole run (a stage per epoch would restart it every epoch).
      onProgress: (p) => task.onProgress({ done: p.done, total: p.total }),
      onEpoch: async (record) => {
        state.history.push(record);
        if (lines) {
          const parts = [`epoch ${record.epoch}/${config.training?.epochs ?? 10}`, `loss ${record.train_loss.toFixed(4)}`];
          if (record.validation_loss !== undefined) parts.push(`val_loss ${record.validation_loss.toFixed(4)}`);
          if (record.validation_accuracy !== undefined) parts.push(`val_acc ${record.validation_accuracy.toFixed(4)}`);
          process.stderr.write(`${parts.join('  ')}\n`);
        }
        await writeHtml();
      },
    });
  } catch (error) {
    if (isCajalError(error, 'ABORTED')) {
      state.status = 'cancelled';
      await writeHtml();
    }
    throw error;
  } finally {
    task.stop();
  }
  state.status = 'finished';
  state.final = run.final;
  await writeHtml();
  const outputs: Record<string, string> = {};
  if (flags.weights) {
    const files = await nnNode.saveWeightFiles(flags.weights, run.model, { spec: config.model, metadata: { name, config: configPath, history: run.result.history, final: run.final } });
    outputs['weights'] = files.json;
  }
  if (flags.onnx) {
    await mkdir(dirname(resolve(flags.onnx)), { recursive: true });
    await writeFile(flags.onnx, nn.exportOnnx(run.model, { inputShape: config.model.input_shape, name }));
    outputs['onnx'] = flags.onnx;
  }
  const summary = {
    name,
    config: configPath,
    data: state.description,
    parameter_count: run.parameter_count,
    epochs_run: run.result.history.length,
    best_epoch: run.result.best_epoch,
    stopped_early: run.result.stopped_early,
    final: run.final,
    seconds: (Date.now() - started) / 1000,
    history: run.result.history,
    outputs,
  };
  if (flags.json) await writeAtomic(flags.json, `${JSON.stringify(summary, null, 1)}\n`);
  const accuracy = run.final.accuracy !== undefined ? `, ${run.final.on} accuracy ${(run.final.accuracy * 100).toFixed(2)}%` : '';
  process.stdout.write(`${name}: ${summary.epochs_run} epochs in ${summary.seconds.toFixed(1)} s, ${run.final.on} loss ${run.final.loss.toFixed(4)}${accuracy}\n`);
}

export function register(program: Command): void {
  const group = program.command('nn').description('train neural networks with the hand-written nn core');
  group
    .command('train')
    .description('train the network a JSON config describes (model, dataset, optimiser, epochs, seed)')
    .argument('<config>', 'JSON config file (see packages/nn/src/examples)')
    .option('--json <file>', 'write the history and final metrics as JSON')
    .option('--html <file>', 'write an HTML report, refreshed live during training')
    .option('--weights <base>', 'save weights as BASE.json + BASE.bin')
    .option('--onnx <file>', 'export the trained model as ONNX')
    .option('--epochs <n>', 'override training.epochs')
    .option('--refresh <seconds>', 'reload interval of the live HTML report', '2')
    .option('--quiet', 'no progress output')
    .action(async (configPath: string, flags: TrainFlags) => {
      await train(configPath, flags);
    });
}
