import { CajalError } from '@cajal/core';
import { dabneyRewardDistribution, type PlayableTask, type TaskKind } from '@cajal/learn';
import {
  BanditEnv,
  blockingDesign,
  conditionedInhibitionDesign,
  CueCompoundEnv,
  DelayedMatchToSampleEnv,
  GridworldEnv,
  overshadowingDesign,
  PerceptualDecisionEnv,
  ReversalLearningEnv,
  RewardDistributionEnv,
  TimedConditioningEnv,
  TwoStepEnv,
} from '@cajal/tasks';

/**
 * The named tasks agents play in `cajal train`, one entry per task: its name, a line
 * describing it, the kinds of agent task it offers (learn's `TaskKind`: what an agent needs of
 * an Environment) and how to build it with what those kinds need beside the environment
 * (cue names, conditioning times, the learning rate that suits it).
 *
 * @example
 *   const task = getTask('reversal').create();
 *   task.environment.reset({ seed: 1 });
 */
export interface TaskEntry {
  readonly name: string;
  /** One line, for help texts and `cajal train --list`. */
  readonly description: string;
  readonly offers: readonly TaskKind[];
  /** A fresh task, ready to hand to an agent. */
  create(): PlayableTask;
}

/** The conditioning trial: cue at step 5, reward at step 15 of 30. */
function conditioning(name: string, representation: 'csc' | 'microstimulus'): PlayableTask {
  const trial = (rewardProbability?: number): TimedConditioningEnv =>
    new TimedConditioningEnv({ trialTypes: [{ name: rewardProbability === 0 ? 'omission' : 'CS', cues: [{ cue: 0, onset: 5 }], rewardStep: 15, ...(rewardProbability === undefined ? {} : { rewardProbability }) }], trialLength: 30, representation });
  const environment = trial();
  return { name, environment, conditioning: { cueStep: 5, rewardStep: 15, stepSeconds: environment.stepSeconds, withoutReward: () => trial(0) } };
}

function compound(name: string, env: CueCompoundEnv, salience?: number[]): PlayableTask {
  return { name, environment: env, episodes: env.trialCount, cueNames: env.design.cueNames, ...(salience ? { salience } : {}) };
}

/** Every task, in the order `cajal train --list` shows them. */
export const tasks: readonly TaskEntry[] = [
  { name: 'conditioning', description: 'cue at step 5, reward at step 15 of 30; complete serial compound features', offers: ['timed-conditioning'], create: () => conditioning('conditioning', 'csc') },
  { name: 'conditioning-microstimulus', description: 'the same trial with microstimulus features (Ludvig et al. 2008)', offers: ['timed-conditioning'], create: () => conditioning('conditioning-microstimulus', 'microstimulus') },
  { name: 'blocking', description: 'A+ then AB+ with a CD+ control (Kamin 1969)', offers: ['cue-compound'], create: () => compound('blocking', new CueCompoundEnv(blockingDesign())) },
  {
    name: 'overshadowing',
    description: 'salient A with weak B, AB+, and C+ alone',
    offers: ['cue-compound'],
    create: () => {
      const env = new CueCompoundEnv(overshadowingDesign());
      return compound('overshadowing', env, env.design.cueNames.map((_, i) => (i === 0 ? 0.3 : 0.05)));
    },
  },
  { name: 'conditioned-inhibition', description: 'A+ interleaved with AX-', offers: ['cue-compound'], create: () => compound('conditioned-inhibition', new CueCompoundEnv(conditionedInhibitionDesign())) },
  { name: 'bandit', description: '2-armed bandit, reward probabilities 0.8 / 0.2', offers: ['choice'], create: () => ({ name: 'bandit', environment: new BanditEnv({ probabilities: [0.8, 0.2] }) }) },
  {
    name: 'restless-bandit',
    description: '4-armed bandit with drifting reward probabilities (SD 0.05 per trial)',
    offers: ['choice'],
    create: () => ({ name: 'restless-bandit', environment: new BanditEnv({ probabilities: [0.6, 0.4, 0.5, 0.3], driftStd: 0.05, driftBounds: [0.05, 0.95] }) }),
  },
  {
    name: 'reversal',
    description: 'probabilistic reversal learning (0.8 / 0.2, reverses after a run of correct choices)',
    offers: ['choice'],
    create: () => {
      const environment = new ReversalLearningEnv();
      // Reversals come only after a run of correct choices, so in this task the count of
      // reversals earned (a chance player earns almost none) measures learning, not the return.
      return { name: 'reversal', environment, alpha: 0.3, summarize: () => ({ reversals: environment.reversals.length }) };
    },
  },
  { name: 'two-step', description: 'two-step task (Daw et al. 2011): 0.7 common transitions, drifting reward probabilities', offers: ['choice', 'two-step'], create: () => ({ name: 'two-step', environment: new TwoStepEnv() }) },
  { name: 'gridworld', description: 'a small gridworld with walls and a goal', offers: ['choice'], create: () => ({ name: 'gridworld', environment: new GridworldEnv(), episodes: 300, alpha: 0.5 }) },
  {
    name: 'perceptual-decision',
    description: 'neurogym-style random-dot decision (coherences 0.256, 0.512, 1)',
    offers: ['choice'],
    create: () => ({ name: 'perceptual-decision', environment: new PerceptualDecisionEnv({ stimulusDuringDecision: true, coherences: [0.256, 0.512, 1] }) }),
  },
  { name: 'delayed-match', description: 'delayed match-to-sample with delays of 2 or 4 steps', offers: ['choice'], create: () => ({ name: 'delayed-match', environment: new DelayedMatchToSampleEnv({ delaySteps: [2, 4] }) }) },
  {
    name: 'reward-distribution',
    description: 'rewards drawn from the Dabney et al. 2020 juice distribution (for distributional TD)',
    offers: ['single-step-reward'],
    create: () => ({ name: 'reward-distribution', environment: new RewardDistributionEnv(dabneyRewardDistribution) }),
  },
];

/** Names of the tasks, in registry order. */
export const taskNames: readonly string[] = tasks.map((t) => t.name);

/** The task named `name`; throws NOT_FOUND listing the known ones. */
export function getTask(name: string): TaskEntry {
  const entry = tasks.find((t) => t.name === name);
  if (!entry) throw new CajalError('NOT_FOUND', `no environment "${name}"; known: ${taskNames.join(', ')}`, { field: 'env' });
  return entry;
}
