/**
 * Throughput of the RL environments, agents, model fitting and memory models.
 *
 * - env_steps_per_second[env]: `step` calls per second with uniformly random actions
 *   (resetting when an episode ends), for every task of the registry (tasks.ts).
 * - agents[agent/env]: `runAgentOnTask` runs (the CLI's training loop, recording on):
 *   agent updates per second and environment steps per second.
 * - fit: Rescorla-Wagner log-likelihood evaluations per second (100-trial session) and
 *   seconds per MLE fit (2 parameters, 5 starts); two-step hybrid likelihood evaluations/s.
 * - memory: classical Hopfield asynchronous recalls per second (N = 400, 40 patterns) and
 *   modern Hopfield one-step updates per second (N = 200, 2000 patterns).
 *
 * Each measurement repeats until at least `--seconds` (default 0.5) have passed, after one
 * warm-up run. Usage: tsx packages/compare/bench/rl.ts [--seconds 0.5]. Prints one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { arch, cpus, totalmem } from 'node:os';
import { createRandom, type Environment, type Session } from '@cajal/core';
import { agentNames, fitSession, flipBits, getModel, hebbianWeights, modernHopfieldUpdate, randomPatterns, recallAsync, simulateRescorlaWagner, TwoStepHybridAgent } from '@cajal/learn';
import { TwoStepEnv } from '@cajal/tasks';
import { compatibleTasks, getTask, runAgentOnTask, taskNames } from '../src/index.ts';

const secondsArg = process.argv.indexOf('--seconds');
const budget = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : 0.5;

/** Run `work` (returning a count of operations) until `budget` seconds pass; operations per second. */
function rate(work: () => number): number {
  work();
  let operations = 0;
  const start = performance.now();
  for (;;) {
    operations += work();
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= budget) return operations / elapsed;
  }
}

const round = (v: number): number => Number(v.toPrecision(4));

function randomSteps(env: Environment<unknown, number>, steps: number, seed: number): number {
  const random = createRandom(seed);
  const n = env.actionSpace.kind === 'discrete' ? env.actionSpace.n : 1;
  env.reset({ seed });
  for (let t = 0; t < steps; t++) {
    const result = env.step(Math.floor(random.uniform() * n));
    if (result.terminated || result.truncated) env.reset();
  }
  return steps;
}

const envSteps: Record<string, number> = {};
for (const name of taskNames) {
  const env = getTask(name).create().environment;
  envSteps[name] = round(rate(() => randomSteps(env, 2000, 1)));
}

const agents: Record<string, { updates_per_second: number; env_steps_per_second: number; episodes: number }> = {};
for (const agent of agentNames) {
  for (const env of compatibleTasks(agent)) {
    const episodes = env === 'gridworld' ? 100 : env.startsWith('conditioning') ? 100 : 500;
    let updates = 0;
    let steps = 0;
    const seconds = 1 / rate(() => {
      const result = runAgentOnTask(agent, env, { episodes, seed: 1 });
      updates = result.updates;
      steps = result.environment_steps;
      return 1;
    });
    agents[`${agent}/${env}`] = { updates_per_second: round(updates / seconds), env_steps_per_second: round(steps / seconds), episodes };
  }
}

const session: Session = simulateRescorlaWagner(0.3, 5, 100, 1);
const rw = getModel('rw');
const rwParams = Float64Array.of(0.3, 5);
const rwEvaluations = rate(() => {
  for (let i = 0; i < 100; i++) rw.logLikelihood(rwParams, session);
  return 100;
});
const rwFitSeconds = 1 / rate(() => (fitSession(rw, session, { seed: 1 }), 1));
const twoStepAgent = new TwoStepHybridAgent({ alpha1: 0.5, alpha2: 0.5, lambda: 0.6, beta1: 4, beta2: 4, w: 0.5, perseveration: 0.1 }, 1);
const played = twoStepAgent.play(new TwoStepEnv(), 200, 1);
const twoStepSession: Session = {
  subject_id: 'sim',
  task: 'two-step',
  trials: played.map((t, i) => ({ trial_index: i, level1_choice: t.level1_choice, level2_state: t.level2_state, level2_choice: t.level2_choice, reward: t.reward })),
};
const hybrid = getModel('two-step-hybrid');
const hybridParams = Float64Array.of(0.5, 0.5, 0.6, 4, 4, 0.5, 0.1);
const hybridEvaluations = rate(() => {
  for (let i = 0; i < 20; i++) hybrid.logLikelihood(hybridParams, twoStepSession);
  return 20;
});

const random = createRandom(2);
const classicalPatterns = randomPatterns(40, 400, random);
const weights = hebbianWeights(classicalPatterns);
const recalls = rate(() => {
  for (let i = 0; i < 10; i++) recallAsync(weights, flipBits(classicalPatterns[i] as Int8Array, 0.1, random), random);
  return 10;
});
const modernPatterns = randomPatterns(2000, 200, random).map((p) => Float32Array.from(p));
const modernUpdates = rate(() => {
  for (let i = 0; i < 10; i++) modernHopfieldUpdate(modernPatterns, modernPatterns[i] as Float32Array, 1);
  return 10;
});

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'learn/rl',
      date: new Date().toISOString(),
      node: process.version,
      machine: `${cpus().length}-core ${arch()}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
      seconds_per_measurement: budget,
      env_steps_per_second: envSteps,
      agents,
      fit: {
        rw_loglik_evaluations_per_second_100_trials: round(rwEvaluations),
        rw_mle_fit_seconds_100_trials_5_starts: round(rwFitSeconds),
        two_step_hybrid_loglik_evaluations_per_second_200_trials: round(hybridEvaluations),
      },
      memory: {
        hopfield_async_recalls_per_second_n400_p40: round(recalls),
        modern_hopfield_updates_per_second_n200_p2000: round(modernUpdates),
      },
    },
    null,
    1,
  )}\n`,
);
