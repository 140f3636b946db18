import { CajalError } from '@cajal/core';

/**
 * The classic two-step analysis (Daw et al. 2011, Fig. 2): the probability of repeating the
 * stage-1 choice as a function of the previous trial's reward and transition, and a logistic
 * regression stay ~ 1 + reward + transition + reward x transition with +/-1 coding (reward:
 * +1 rewarded; transition: +1 common). A model-free learner shows a main effect of reward;
 * a model-based one shows the reward x transition interaction.
 */
export interface StayTrial {
  level1_choice: number;
  reward: number;
  transition: 'common' | 'rare';
}

export interface StayAnalysis {
  /** P(stay) after rewarded-common, rewarded-rare, unrewarded-common, unrewarded-rare. */
  rewarded_common: number;
  rewarded_rare: number;
  unrewarded_common: number;
  unrewarded_rare: number;
  /** (RC - RR) - (UC - UR). */
  interaction_contrast: number;
  /** (RC + RR) / 2 - (UC + UR) / 2. */
  reward_contrast: number;
  /** Logistic coefficients [intercept, reward, transition, reward x transition]. */
  coefficients: [number, number, number, number];
  /** Standard errors of the coefficients. */
  standard_errors: [number, number, number, number];
  trials: number;
}

/** Logistic regression by iteratively reweighted least squares; returns coefficients and SEs. */
export function logisticRegression(design: number[][], outcome: number[], iterations = 25): { coefficients: number[]; standardErrors: number[] } {
  const k = design[0]?.length ?? 0;
  const b = new Array<number>(k).fill(0);
  let covariance: number[][] = [];
  for (let it = 0; it < iterations; it++) {
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const g = new Array<number>(k).fill(0);
    design.forEach((x, n) => {
      const eta = x.reduce((s, xi, i) => s + xi * (b[i] as number), 0);
      const p = 1 / (1 + Math.exp(-eta));
      const wgt = Math.max(p * (1 - p), 1e-10);
      for (let i = 0; i < k; i++) {
        g[i] = (g[i] as number) + (x[i] as number) * ((outcome[n] as number) - p);
        for (let j = 0; j < k; j++) (h[i] as number[])[j] = ((h[i] as number[])[j] as number) + wgt * (x[i] as number) * (x[j] as number);
      }
    });
    covariance = invert(h);
    const step = covariance.map((row) => row.reduce((s, v, j) => s + v * (g[j] as number), 0));
    let change = 0;
    for (let i = 0; i < k; i++) {
      b[i] = (b[i] as number) + (step[i] as number);
      change = Math.max(change, Math.abs(step[i] as number));
    }
    if (change < 1e-9) break;
  }
  return { coefficients: b, standardErrors: covariance.map((row, i) => Math.sqrt(row[i] as number)) };
}

function invert(matrix: number[][]): number[][] {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[pivot] as number[])[c] as number)) pivot = r;
    [a[c], a[pivot]] = [a[pivot] as number[], a[c] as number[]];
    const row = a[c] as number[];
    const d = row[c] as number;
    if (Math.abs(d) < 1e-14) throw new CajalError('INVALID_ARGUMENT', 'singular design matrix (a condition never occurs?)', { field: 'design' });
    for (let j = 0; j < 2 * n; j++) row[j] = (row[j] as number) / d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const other = a[r] as number[];
      const f = other[c] as number;
      for (let j = 0; j < 2 * n; j++) other[j] = (other[j] as number) - f * (row[j] as number);
    }
  }
  return a.map((row) => row.slice(n));
}

/** Stay probabilities and the logistic regression over consecutive trials. */
export function stayAnalysis(trials: StayTrial[]): StayAnalysis {
  if (trials.length < 10) throw new CajalError('INVALID_ARGUMENT', `need at least 10 trials, got ${trials.length}`, { field: 'trials' });
  const counts = { rc: [0, 0], rr: [0, 0], uc: [0, 0], ur: [0, 0] } as Record<'rc' | 'rr' | 'uc' | 'ur', [number, number]>;
  const design: number[][] = [];
  const outcome: number[] = [];
  for (let t = 1; t < trials.length; t++) {
    const previous = trials[t - 1] as StayTrial;
    const stay = (trials[t] as StayTrial).level1_choice === previous.level1_choice ? 1 : 0;
    const rewarded = previous.reward > 0;
    const common = previous.transition === 'common';
    const key = `${rewarded ? 'r' : 'u'}${common ? 'c' : 'r'}` as 'rc' | 'rr' | 'uc' | 'ur';
    counts[key][0] += stay;
    counts[key][1] += 1;
    const r = rewarded ? 1 : -1;
    const c = common ? 1 : -1;
    design.push([1, r, c, r * c]);
    outcome.push(stay);
  }
  const p = (key: 'rc' | 'rr' | 'uc' | 'ur'): number => counts[key][0] / counts[key][1];
  const fit = logisticRegression(design, outcome);
  return {
    rewarded_common: p('rc'),
    rewarded_rare: p('rr'),
    unrewarded_common: p('uc'),
    unrewarded_rare: p('ur'),
    interaction_contrast: p('rc') - p('rr') - (p('uc') - p('ur')),
    reward_contrast: (p('rc') + p('rr')) / 2 - (p('uc') + p('ur')) / 2,
    coefficients: fit.coefficients as [number, number, number, number],
    standard_errors: fit.standardErrors as [number, number, number, number],
    trials: outcome.length,
  };
}
