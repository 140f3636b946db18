import { CajalError, type Session, type Trial } from '@cajal/core';
import { logSoftmaxAt } from '../rl/math.ts';
import { twoStepLogLikelihood, type TwoStepTrial } from '../rl/hybrid.ts';

/**
 * Models of choice behaviour, declared once: parameters with bounds, priors and meaning, and
 * a log-likelihood of a Session's trials. Choice models read `choice` (0-based) and `outcome`;
 * the two-step model reads level1_choice (0/1), level2_state (1/2), level2_choice (0/1) and
 * reward. Every log-likelihood takes an optional `include(trialIndex)` so cross-validation
 * can score held-out trials while the model still learns from every trial.
 *
 * - "rw": Rescorla-Wagner / Q-learning on the chosen option, softmax(beta).
 * - "rw-perseveration": plus a bonus kappa for repeating the previous choice.
 * - "rw-reward-punishment": separate learning rates after outcomes > 0 and <= 0 (hBayesDM prl_rp).
 * - "fictitious": both options learn, the unchosen towards the mirrored outcome (hBayesDM prl_fictitious, without its indecision term).
 * - "two-step-hybrid": Daw et al. 2011 as in hBayesDM ts_par7 (7 parameters); "two-step-model-free"
 *   (w = 0, 6 parameters) and "two-step-model-based" (w = 1, 4 parameters) for comparison.
 */
export type Prior =
  | { kind: 'beta'; a: number; b: number }
  | { kind: 'gamma'; shape: number; scale: number }
  | { kind: 'normal'; mean: number; std: number };

export interface ParameterSpec {
  name: string;
  lower: number;
  upper: number;
  prior: Prior;
  description: string;
}

export interface BehaviourModel {
  name: string;
  description: string;
  parameters: ParameterSpec[];
  /** Trials counted as observations per trial (2 for the two-step task: two choices). */
  observationsPerTrial: number;
  logLikelihood(params: Float64Array, session: Session, include?: (index: number) => boolean): number;
}

/** log density of a prior at x (unnormalised constants included, so MAP values are comparable). */
export function logPrior(prior: Prior, x: number): number {
  if (prior.kind === 'normal') return -0.5 * ((x - prior.mean) / prior.std) ** 2 - Math.log(prior.std * Math.sqrt(2 * Math.PI));
  if (prior.kind === 'beta') {
    if (!(x > 0 && x < 1)) return -Infinity;
    return (prior.a - 1) * Math.log(x) + (prior.b - 1) * Math.log(1 - x) - logBeta(prior.a, prior.b);
  }
  if (!(x > 0)) return -Infinity;
  return (prior.shape - 1) * Math.log(x) - x / prior.scale - logGamma(prior.shape) - prior.shape * Math.log(prior.scale);
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const learningRate = (name: string, description: string): ParameterSpec => ({ name, lower: 0, upper: 1, prior: { kind: 'beta', a: 1.2, b: 1.2 }, description });
const inverseTemperature = (name: string, description: string): ParameterSpec => ({ name, lower: 0, upper: 30, prior: { kind: 'gamma', shape: 1.2, scale: 5 }, description });
const perseveration = (name: string): ParameterSpec => ({ name, lower: -5, upper: 5, prior: { kind: 'normal', mean: 0, std: 1 }, description: 'bonus (logit units) for repeating the previous choice' });

/** Number of options in a session (largest choice + 1, at least 2). */
export function optionCount(session: Session): number {
  let max = 1;
  for (const trial of session.trials) if (typeof trial.choice === 'number' && trial.choice > max) max = trial.choice;
  return max + 1;
}

function checkedChoice(trial: Trial, index: number, session: Session): number {
  const c = trial.choice;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
    throw new CajalError('INVALID_ARGUMENT', `subject ${session.subject_id} trial ${index} has choice ${String(c)}`, { field: 'choice' });
  }
  return c;
}

type Update = (q: Float64Array, p: Float64Array, choice: number, outcome: number, mirror: number) => void;

function choiceModel(name: string, description: string, parameters: ParameterSpec[], betaIndex: number, kappaIndex: number, update: Update): BehaviourModel {
  return {
    name,
    description,
    parameters,
    observationsPerTrial: 1,
    logLikelihood(p, session, include) {
      const n = optionCount(session);
      const q = new Float64Array(n);
      const logits = new Float64Array(n);
      let lo = Infinity;
      let hi = -Infinity;
      for (const t of session.trials) {
        const o = Number(t.outcome ?? 0);
        lo = Math.min(lo, o);
        hi = Math.max(hi, o);
      }
      const mirror = lo + hi;
      let previous = -1;
      let total = 0;
      session.trials.forEach((trial, index) => {
        const choice = checkedChoice(trial, index, session);
        if (!include || include(index)) {
          for (let a = 0; a < n; a++) logits[a] = (p[betaIndex] as number) * (q[a] as number) + (kappaIndex >= 0 && a === previous ? (p[kappaIndex] as number) : 0);
          total += logSoftmaxAt(logits, choice);
        }
        update(q, p, choice, Number(trial.outcome ?? 0), mirror);
        previous = choice;
      });
      return total;
    },
  };
}

function twoStepTrials(session: Session): TwoStepTrial[] {
  return session.trials.map((t, index) => {
    const trial = { level1_choice: Number(t['level1_choice']), level2_state: Number(t['level2_state']), level2_choice: Number(t['level2_choice']), reward: Number(t['reward'] ?? t.outcome) };
    if (![0, 1].includes(trial.level1_choice) || ![1, 2].includes(trial.level2_state) || ![0, 1].includes(trial.level2_choice) || !Number.isFinite(trial.reward)) {
      throw new CajalError('INVALID_ARGUMENT', `subject ${session.subject_id} trial ${index} is not a two-step trial (level1_choice 0/1, level2_state 1/2, level2_choice 0/1, reward)`, { field: 'level1_choice' });
    }
    return trial;
  });
}

const twoStepParameters: ParameterSpec[] = [
  learningRate('alpha1', 'stage-1 learning rate'),
  learningRate('alpha2', 'stage-2 learning rate'),
  learningRate('lambda', 'eligibility trace'),
  inverseTemperature('beta1', 'stage-1 inverse temperature'),
  inverseTemperature('beta2', 'stage-2 inverse temperature'),
  { name: 'w', lower: 0, upper: 1, prior: { kind: 'beta', a: 1.2, b: 1.2 }, description: 'model-based weight' },
  perseveration('perseveration'),
];

function twoStepModel(name: string, description: string, fixed: Partial<Record<'alpha1' | 'lambda' | 'w', number>>): BehaviourModel {
  const free = twoStepParameters.filter((spec) => !(spec.name in fixed));
  return {
    name,
    description,
    parameters: free,
    observationsPerTrial: 2,
    logLikelihood(p, session, include) {
      const values: Record<string, number> = { ...fixed };
      free.forEach((spec, i) => (values[spec.name] = p[i] as number));
      const params = {
        alpha1: values['alpha1'] as number,
        alpha2: values['alpha2'] as number,
        lambda: values['lambda'] as number,
        beta1: values['beta1'] as number,
        beta2: values['beta2'] as number,
        w: values['w'] as number,
        perseveration: values['perseveration'] as number,
      };
      return twoStepLogLikelihood(params, twoStepTrials(session), include);
    },
  };
}

/** Every model by name. */
export const models: Record<string, BehaviourModel> = {
  rw: choiceModel('rw', 'Rescorla-Wagner (Q-learning) + softmax', [learningRate('alpha', 'learning rate'), inverseTemperature('beta', 'inverse temperature')], 1, -1, (q, p, c, o) => {
    q[c] = (q[c] as number) + (p[0] as number) * (o - (q[c] as number));
  }),
  'rw-perseveration': choiceModel(
    'rw-perseveration',
    'Rescorla-Wagner + softmax + choice perseveration',
    [learningRate('alpha', 'learning rate'), inverseTemperature('beta', 'inverse temperature'), perseveration('kappa')],
    1,
    2,
    (q, p, c, o) => {
      q[c] = (q[c] as number) + (p[0] as number) * (o - (q[c] as number));
    },
  ),
  'rw-reward-punishment': choiceModel(
    'rw-reward-punishment',
    'separate learning rates after reward (outcome > 0) and non-reward/punishment',
    [learningRate('alpha_reward', 'learning rate after outcome > 0'), learningRate('alpha_punishment', 'learning rate after outcome <= 0'), inverseTemperature('beta', 'inverse temperature')],
    2,
    -1,
    (q, p, c, o) => {
      q[c] = (q[c] as number) + (o > 0 ? (p[0] as number) : (p[1] as number)) * (o - (q[c] as number));
    },
  ),
  fictitious: choiceModel(
    'fictitious',
    'fictitious (counterfactual) update: the unchosen option learns from the mirrored outcome',
    [learningRate('alpha', 'learning rate'), inverseTemperature('beta', 'inverse temperature')],
    1,
    -1,
    (q, p, c, o, mirror) => {
      for (let a = 0; a < q.length; a++) {
        const target = a === c ? o : mirror - o;
        q[a] = (q[a] as number) + (p[0] as number) * (target - (q[a] as number));
      }
    },
  ),
  'two-step-hybrid': twoStepModel('two-step-hybrid', 'model-based/model-free hybrid for the two-step task (Daw et al. 2011; hBayesDM ts_par7)', {}),
  'two-step-model-free': twoStepModel('two-step-model-free', 'two-step hybrid with w fixed at 0 (purely model-free SARSA(lambda))', { w: 0 }),
  'two-step-model-based': twoStepModel('two-step-model-based', 'two-step hybrid with w fixed at 1 (purely model-based; alpha1 and lambda then play no part)', { w: 1, alpha1: 0, lambda: 0 }),
};

/** Look a model up by name; throws NOT_FOUND listing the known names. */
export function getModel(name: string): BehaviourModel {
  const model = models[name];
  if (!model) throw new CajalError('NOT_FOUND', `no model "${name}"; known: ${Object.keys(models).join(', ')}`, { field: 'model' });
  return model;
}
