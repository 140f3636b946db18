import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CajalError, throwIfAborted, type Session } from '@cajal/core';
import { compareFits, crossValidatedLogLikelihood, fitSession, getModel, models, modelsForSession, summarizeFits, type ModelComparison, type SubjectFit } from '@cajal/learn';
import { readBehaviourPath } from '@cajal/learn/node';
import { startTask } from '../progress.ts';

/**
 * `cajal fit MODEL DATA [--json OUT]`: fit behaviour models to people's choices, one fit per
 * subject, and compare the models by AIC, BIC and cross-validated log-likelihood. MODEL is a
 * model name, a comma-separated list, or "all" (every model that fits the data: the choice
 * models for bandit / reversal data, the two-step models for two-step data). DATA is an
 * hBayesDM text file (columns subjID, choice, outcome; or the two-step columns) or a Choice
 * Engineering CSV or folder of them. Progress on stderr (TTY only); Ctrl-C cancels (exit 130).
 *
 * @example
 *   cajal fit all ../shared/data/hbayesdm-extdata/prl_exampleData.txt --json prl.json
 */
export interface FitCliOptions {
  json?: string;
  method?: string;
  folds?: string;
  starts?: string;
  seed?: string;
  list?: boolean;
  quiet?: boolean;
}

export interface FitReport {
  data: string;
  subjects: number;
  trials: number;
  method: 'mle' | 'map';
  cross_validation_folds: number;
  models: Array<{ model: string; description: string; parameters: Record<string, { median: number; q25: number; q75: number }> }>;
  comparison: Omit<ModelComparison, 'fits'>;
  fits: Record<string, SubjectFit[]>;
}

/** The model catalogue as text. */
export function formatModels(): string {
  const width = Math.max(...Object.keys(models).map((n) => n.length));
  const lines = ['models:'];
  for (const m of Object.values(models)) lines.push(`  ${m.name.padEnd(width)}  ${m.description}`, `  ${''.padEnd(width)}  parameters: ${m.parameters.map((p) => `${p.name} [${p.lower}, ${p.upper}]`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function parseInteger(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CajalError('INVALID_ARGUMENT', `--${name} must be an integer >= ${min}, got "${value}"`, { field: name });
  return n;
}

function chooseModels(spec: string, sessions: Session[]): string[] {
  const applicable = modelsForSession(sessions[0] as Session);
  if (spec === 'all') return applicable;
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) {
    getModel(name);
    if (!applicable.includes(name)) throw new CajalError('INVALID_ARGUMENT', `model "${name}" does not fit ${sessions[0]?.task ?? 'these'} data; models that do: ${applicable.join(', ')}`, { field: 'model' });
  }
  if (names.length === 0) throw new CajalError('INVALID_ARGUMENT', 'name at least one model', { field: 'model' });
  return names;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Fit and compare (exported for tests); awaits between subjects so Ctrl-C can cancel. */
export async function fitData(modelSpec: string, data: string, options: FitCliOptions = {}): Promise<FitReport> {
  const method = options.method ?? 'mle';
  if (method !== 'mle' && method !== 'map') throw new CajalError('INVALID_ARGUMENT', `--method must be mle or map, got "${method}"`, { field: 'method' });
  const folds = parseInteger(options.folds, 'folds', 5, 0);
  const starts = parseInteger(options.starts, 'starts', 5, 1);
  const seed = parseInteger(options.seed, 'seed', 1, 0);
  const sessions = await readBehaviourPath(data);
  if (sessions.length === 0) throw new CajalError('INVALID_ARGUMENT', `no subjects in ${data}`, { file: data });
  const names = chooseModels(modelSpec, sessions);
  if (folds === 1) throw new CajalError('INVALID_ARGUMENT', '--folds must be 0 (no cross-validation) or at least 2', { field: 'folds' });
  const task = startTask('fitting', options.quiet ? { quiet: true } : {});
  const fits: Record<string, SubjectFit[]> = {};
  const crossValidated: Record<string, number> = {};
  const total = names.length * sessions.length;
  let done = 0;
  try {
    for (const name of names) {
      const model = getModel(name);
      const list: SubjectFit[] = [];
      let cv = 0;
      for (const session of sessions) {
        throwIfAborted(task.signal, 'fitting');
        list.push(fitSession(model, session, { method, starts, seed }));
        if (folds > 0) cv += crossValidatedLogLikelihood(model, session, { folds, method, seed, starts: Math.min(starts, 3) });
        task.onProgress({ done: ++done, total, stage: name });
        await pause();
      }
      fits[name] = list;
      if (folds > 0) crossValidated[name] = cv;
    }
  } finally {
    task.stop();
  }
  const { fits: _fits, ...comparison } = compareFits(fits, crossValidated);
  return {
    data,
    subjects: sessions.length,
    trials: sessions.reduce((a, s) => a + s.trials.length, 0),
    method,
    cross_validation_folds: folds,
    models: names.map((name) => ({ model: name, description: getModel(name).description, parameters: summarizeFits(fits[name] as SubjectFit[]) })),
    comparison,
    fits,
  };
}

const fmt = (v: number | undefined, digits = 3): string => (v === undefined ? '-' : Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** Text for the terminal: parameters (median [IQR] over subjects) and the comparison table. */
export function formatFitReport(report: FitReport): string {
  const lines = [`${report.data}: ${report.subjects} subjects, ${report.trials} trials, ${report.method.toUpperCase()} fits`];
  const nameWidth = Math.max(...report.models.flatMap((m) => Object.keys(m.parameters).map((n) => n.length)));
  for (const m of report.models) {
    lines.push(`${m.model} (${m.description}); median [IQR] over subjects:`);
    for (const [name, s] of Object.entries(m.parameters)) lines.push(`  ${name.padEnd(nameWidth)}  ${fmt(s.median)} [${fmt(s.q25)}, ${fmt(s.q75)}]`);
  }
  const width = Math.max(5, ...report.comparison.models.map((m) => m.model.length));
  lines.push(`model comparison (sums over subjects; lower AIC/BIC is better, higher CV LL is better):`);
  lines.push(`  ${'model'.padEnd(width)}  k  ${'LL'.padStart(10)} ${'AIC'.padStart(10)} ${'BIC'.padStart(10)} ${`CV LL (${report.cross_validation_folds}-fold)`.padStart(16)}  best-by-BIC`);
  for (const m of report.comparison.models) {
    lines.push(`  ${m.model.padEnd(width)} ${String(m.k).padStart(2)}  ${fmt(m.total_log_likelihood, 1).padStart(10)} ${fmt(m.total_aic, 1).padStart(10)} ${fmt(m.total_bic, 1).padStart(10)} ${fmt(m.cross_validated_log_likelihood, 1).padStart(16)}  ${m.best_by_bic}/${report.subjects}`);
  }
  lines.push(`winner by BIC: ${report.comparison.winner_by_bic}`);
  const cv = report.comparison.models.filter((m) => m.cross_validated_log_likelihood !== undefined);
  if (cv.length > 0) lines.push(`winner by cross-validated LL: ${cv.reduce((a, b) => ((b.cross_validated_log_likelihood as number) > (a.cross_validated_log_likelihood as number) ? b : a)).model}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('fit')
    .description('fit learning models to choices (hBayesDM columns or Choice Engineering CSVs) and compare them (cajal fit --list for models)')
    .argument('[model]', `model name, comma-separated list, or "all": ${Object.keys(models).join(', ')}`)
    .argument('[data]', 'hBayesDM text file, or a Choice Engineering CSV or folder of CSVs')
    .option('--json <file>', 'write parameter summaries, the comparison and every subject fit as JSON')
    .option('--method <mle|map>', 'maximum likelihood or maximum a posteriori', 'mle')
    .option('--folds <n>', 'cross-validation folds (0: none)', '5')
    .option('--starts <n>', 'optimiser starts per fit', '5')
    .option('--seed <s>', 'random seed for the optimiser starts', '1')
    .option('--list', 'list the models')
    .option('--quiet', 'no progress bar')
    .addHelpText('after', `\n${formatModels()}`)
    .action(async (model: string | undefined, data: string | undefined, options: FitCliOptions) => {
      if (options.list) {
        process.stdout.write(formatModels());
        return;
      }
      if (!model || !data) throw new CajalError('INVALID_ARGUMENT', 'usage: cajal fit MODEL DATA (see cajal fit --list)', { field: 'model' });
      const report = await fitData(model, data, options);
      process.stdout.write(formatFitReport(report));
      if (options.json) {
        await writeFile(options.json, `${JSON.stringify(report, null, 1)}\n`);
        process.stdout.write(`wrote ${options.json}\n`);
      }
    });
}
