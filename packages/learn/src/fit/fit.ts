import { CajalError, throttleProgress, throwIfAborted, type LongOperationOptions, type Session } from '@cajal/core';
import { logistic, logit, quantile } from '../rl/math.ts';
import { getModel, logPrior, models, type BehaviourModel, type ParameterSpec } from './models.ts';
import { minimize } from './optimize.ts';

/**
 * Fitting behaviour models to one participant's trials by maximum likelihood ("mle") or
 * maximum a posteriori ("map", with the model's priors on the natural scale). Parameters are
 * optimised on an unconstrained scale, x = lower + (upper - lower) logistic(u), by
 * Nelder-Mead from several seeded starts. AIC = 2k - 2 LL and BIC = k ln(n) - 2 LL with n
 * the number of modelled choices (both stages for the two-step task); for MAP fits LL is the
 * likelihood at the MAP estimate.
 *
 * @example
 *   const fit = fitSession(getModel('rw'), session, { method: 'mle', seed: 1 });
 *   fit.params.alpha; fit.bic;
 */
export interface FitOptions {
  method?: 'mle' | 'map';
  /** Optimiser starts (default 5). */
  starts?: number;
  seed?: number;
  /** Score only these trials (others still drive learning). */
  include?: (index: number) => boolean;
}

export interface SubjectFit {
  subject_id: string;
  model: string;
  method: 'mle' | 'map';
  params: Record<string, number>;
  log_likelihood: number;
  /** log likelihood + log prior (MAP fits). */
  log_posterior?: number;
  n_trials: number;
  n_observations: number;
  k: number;
  aic: number;
  bic: number;
  /** Mean probability given to the observed choices: exp(LL / n). */
  mean_choice_probability: number;
  converged: boolean;
  evaluations: number;
}

function toNatural(spec: ParameterSpec, u: number): number {
  return spec.lower + (spec.upper - spec.lower) * logistic(u);
}

function toUnconstrained(spec: ParameterSpec, x: number): number {
  const f = (x - spec.lower) / (spec.upper - spec.lower);
  return logit(Math.min(1 - 1e-6, Math.max(1e-6, f)));
}

function priorMean(spec: ParameterSpec): number {
  const p = spec.prior;
  const m = p.kind === 'normal' ? p.mean : p.kind === 'beta' ? p.a / (p.a + p.b) : p.shape * p.scale;
  return Math.min(spec.upper, Math.max(spec.lower, m));
}

export function fitSession(model: BehaviourModel, session: Session, options: FitOptions = {}): SubjectFit {
  const method = options.method ?? 'mle';
  const specs = model.parameters;
  const k = specs.length;
  const natural = (u: Float64Array): Float64Array => Float64Array.from(specs, (s, i) => toNatural(s, u[i] as number));
  const objective = (u: Float64Array): number => {
    const x = natural(u);
    let value = -model.logLikelihood(x, session, options.include);
    if (method === 'map') specs.forEach((s, i) => (value -= logPrior(s.prior, x[i] as number)));
    return value;
  };
  const initial = Float64Array.from(specs, (s) => toUnconstrained(s, priorMean(s)));
  const result = minimize(objective, { dimension: k, starts: options.starts ?? 5, initial, seed: options.seed ?? 0, spread: 2.5 });
  const x = natural(result.x);
  const ll = model.logLikelihood(x, session, options.include);
  let trials = 0;
  session.trials.forEach((_, i) => {
    if (!options.include || options.include(i)) trials++;
  });
  const n = trials * model.observationsPerTrial;
  const params: Record<string, number> = {};
  specs.forEach((s, i) => (params[s.name] = x[i] as number));
  return {
    subject_id: session.subject_id,
    model: model.name,
    method,
    params,
    log_likelihood: ll,
    ...(method === 'map' ? { log_posterior: -result.value } : {}),
    n_trials: trials,
    n_observations: n,
    k,
    aic: 2 * k - 2 * ll,
    bic: k * Math.log(n) - 2 * ll,
    mean_choice_probability: Math.exp(ll / n),
    converged: result.converged,
    evaluations: result.evaluations,
  };
}

/** Fit every session (progress per subject, cancellable). */
export function fitSessions(model: BehaviourModel | string, sessions: Session[], options: FitOptions & LongOperationOptions = {}): SubjectFit[] {
  const m = typeof model === 'string' ? getModel(model) : model;
  const progress = throttleProgress(options.onProgress);
  return sessions.map((session, index) => {
    throwIfAborted(options.signal, 'fitting');
    const fit = fitSession(m, session, options);
    progress({ done: index + 1, total: sessions.length, stage: `fitting ${m.name}` });
    return fit;
  });
}

/**
 * Cross-validated log-likelihood: trials are split into `folds` contiguous blocks; for each,
 * the model is fitted on the other blocks' choices and scored on the held-out block (the
 * model still learns from every trial's outcome). Returns the summed held-out LL.
 */
export function crossValidatedLogLikelihood(model: BehaviourModel, session: Session, options: { folds?: number; method?: 'mle' | 'map'; seed?: number; starts?: number } = {}): number {
  const folds = options.folds ?? 5;
  const n = session.trials.length;
  if (n < folds) throw new CajalError('INVALID_ARGUMENT', `${n} trials cannot make ${folds} folds`, { field: 'folds' });
  let total = 0;
  for (let f = 0; f < folds; f++) {
    const start = Math.floor((f * n) / folds);
    const end = Math.floor(((f + 1) * n) / folds);
    const fit = fitSession(model, session, { method: options.method ?? 'mle', seed: options.seed ?? 0, starts: options.starts ?? 3, include: (i) => i < start || i >= end });
    const x = Float64Array.from(model.parameters, (s) => fit.params[s.name] as number);
    total += model.logLikelihood(x, session, (i) => i >= start && i < end);
  }
  return total;
}

/** Median and interquartile range of each fitted parameter over subjects. */
export function summarizeFits(fits: SubjectFit[]): Record<string, { median: number; q25: number; q75: number }> {
  const out: Record<string, { median: number; q25: number; q75: number }> = {};
  const names = fits[0] ? Object.keys(fits[0].params) : [];
  for (const name of names) {
    const values = fits.map((f) => f.params[name] as number);
    out[name] = { median: quantile(values, 0.5), q25: quantile(values, 0.25), q75: quantile(values, 0.75) };
  }
  return out;
}

export interface ModelComparison {
  models: Array<{
    model: string;
    k: number;
    total_log_likelihood: number;
    total_aic: number;
    total_bic: number;
    /** Subjects for whom this model has the lowest BIC. */
    best_by_bic: number;
    best_by_aic: number;
    /** Summed held-out log-likelihood (when cross-validation ran). */
    cross_validated_log_likelihood?: number;
  }>;
  /** The model with the lowest summed BIC. */
  winner_by_bic: string;
  subjects: number;
  fits: Record<string, SubjectFit[]>;
}

/**
 * Build the comparison table from fits already made (`fits[model][subject]`, subjects in the
 * same order for every model) and, optionally, each model's summed cross-validated LL.
 */
export function compareFits(fits: Record<string, SubjectFit[]>, crossValidated: Record<string, number> = {}): ModelComparison {
  const modelNames = Object.keys(fits);
  if (modelNames.length === 0) throw new CajalError('INVALID_ARGUMENT', 'no models to compare', { field: 'models' });
  const subjects = (fits[modelNames[0] as string] as SubjectFit[]).length;
  for (const name of modelNames) {
    if ((fits[name] as SubjectFit[]).length !== subjects) throw new CajalError('INVALID_ARGUMENT', `model ${name} has ${(fits[name] as SubjectFit[]).length} fits, expected ${subjects}`, { field: 'fits' });
  }
  const rows = modelNames.map((name) => {
    const list = fits[name] as SubjectFit[];
    const best = (key: 'aic' | 'bic'): number =>
      list.filter((fit, s) => modelNames.every((other) => ((fits[other] as SubjectFit[])[s] as SubjectFit)[key] >= fit[key])).length;
    const cv = crossValidated[name];
    return {
      model: name,
      k: list[0]?.k ?? 0,
      total_log_likelihood: list.reduce((a, f) => a + f.log_likelihood, 0),
      total_aic: list.reduce((a, f) => a + f.aic, 0),
      total_bic: list.reduce((a, f) => a + f.bic, 0),
      best_by_bic: best('bic'),
      best_by_aic: best('aic'),
      ...(cv !== undefined ? { cross_validated_log_likelihood: cv } : {}),
    };
  });
  const winner = rows.reduce((a, b) => (b.total_bic < a.total_bic ? b : a));
  return { models: rows, winner_by_bic: winner.model, subjects, fits };
}

/** Fit several models to the same sessions and compare them by AIC, BIC and, optionally, cross-validated LL. */
export function compareModels(
  modelNames: string[],
  sessions: Session[],
  options: FitOptions & LongOperationOptions & { crossValidationFolds?: number } = {},
): ModelComparison {
  const fits: Record<string, SubjectFit[]> = {};
  const crossValidated: Record<string, number> = {};
  for (const name of modelNames) {
    fits[name] = fitSessions(name, sessions, options);
    if (options.crossValidationFolds) {
      const model = getModel(name);
      crossValidated[name] = sessions.reduce((a, s) => a + crossValidatedLogLikelihood(model, s, { folds: options.crossValidationFolds as number, seed: options.seed ?? 0 }), 0);
    }
  }
  return compareFits(fits, crossValidated);
}

/** Models that can be fitted to `session`: the two-step models for task "two-step", the choice models otherwise. */
export function modelsForSession(session: Session): string[] {
  const twoStep = session.task === 'two-step';
  return Object.keys(models).filter((name) => name.startsWith('two-step') === twoStep);
}
