import type { Environment, LongOperationOptions } from '@cajal/core';
import { CajalError, createRandom, spaceSize, throwIfAborted } from '@cajal/core';
import { Adam, Dense, GRU, LSTM, Module, Tensor, backward, clipGradientNorm, collectEpisodes, noGrad, reshape, softmaxCrossEntropy } from '@cajal/nn';

/**
 * Recurrent agents (LSTM or GRU → dense action logits at every step) for working-memory tasks
 * played through the core `Environment` interface. Training is supervised on the correct
 * action of each step (the environments report it in `info.correct_action`), not reinforcement
 * learning; evaluation plays fresh episodes online: at each step the agent sees only the
 * observations so far, acts by argmax, and the environment's reward counts the correct answers.
 *
 * @example
 *   const { agent } = await trainRecurrentAgent(() => new NBackTask({ n: 2 }), { cell: 'lstm', iterations: 300 }); // NBackTask: @cajal/tasks
 *   evaluateRecurrentAgent(agent, new NBackTask({ n: 2 }), { episodes: 100, seed: 9 }).accuracy; // ≈ 1
 */
export interface RecurrentAgentConfig {
  observationSize: number;
  actions: number;
  /** Hidden units (default 32). */
  hidden?: number;
  /** 'lstm' (default) or 'gru'. */
  cell?: 'lstm' | 'gru';
  /** Weight seed (default 0). */
  seed?: number;
}

/** LSTM/GRU + linear read-out of action logits at every step. */
export class RecurrentAgent extends Module {
  readonly cell: LSTM | GRU;
  readonly head: Dense;
  constructor(readonly config: RecurrentAgentConfig) {
    super();
    const random = createRandom(config.seed ?? 0);
    const hidden = config.hidden ?? 32;
    const cell = config.cell === 'gru' ? new GRU(config.observationSize, hidden, { random, returnSequences: true }) : new LSTM(config.observationSize, hidden, { random, returnSequences: true });
    this.cell = this.child('cell', cell);
    this.head = this.child('head', new Dense(hidden, config.actions, { random }));
  }
  /** Observations [B, T, O] → logits [B·T, actions] (row b·T + t). */
  forward(x: Tensor): Tensor {
    const [batch, steps] = x.shape as [number, number, number];
    const hs = this.cell.sequence(x);
    return this.head.forward(reshape(hs, [batch * steps, hs.shape[2] as number]));
  }
  /** The action for the last of the observations seen so far (argmax of its logits). */
  act(history: readonly Float32Array[]): number {
    const size = this.config.observationSize;
    const x = new Float32Array(history.length * size);
    history.forEach((o, t) => x.set(o, t * size));
    const logits = noGrad(() => this.forward(new Tensor(x, [1, history.length, size])));
    const actions = this.config.actions;
    const last = (history.length - 1) * actions;
    let best = 0;
    for (let a = 1; a < actions; a++) if ((logits.data[last + a] as number) > (logits.data[last + best] as number)) best = a;
    return best;
  }
}

export interface TrainAgentOptions extends LongOperationOptions {
  cell?: 'lstm' | 'gru';
  hidden?: number;
  /** Optimiser steps, each on a fresh batch of episodes (default 300). */
  iterations?: number;
  /** Episodes per step (default 32). */
  batchSize?: number;
  /** Adam learning rate (default 5e-3). */
  learningRate?: number;
  /** Loss weight of unscored steps that still have a defined correct action (default 0.2; n-back uses 0). */
  unscoredWeight?: number;
  seed?: number;
  /** Called after each step with the loss. */
  onIteration?: (iteration: number, loss: number) => void;
}

/** Train a recurrent agent on episodes from `makeEnvironment()` (supervised on correct actions). */
export async function trainRecurrentAgent(makeEnvironment: () => Environment<Float32Array, number>, options: TrainAgentOptions = {}): Promise<{ agent: RecurrentAgent; losses: number[] }> {
  const env = makeEnvironment();
  if (env.actionSpace.kind !== 'discrete') throw new CajalError('INVALID_ARGUMENT', 'recurrent agents need a discrete action space', { field: 'actionSpace' });
  const seed = options.seed ?? 0;
  const agentConfig: RecurrentAgentConfig = { observationSize: spaceSize(env.observationSpace), actions: env.actionSpace.n, hidden: options.hidden ?? 32, cell: options.cell ?? 'lstm', seed };
  const agent = new RecurrentAgent(agentConfig);
  const optimizer = new Adam(agent.parameters(), { learningRate: options.learningRate ?? 5e-3 });
  const iterations = options.iterations ?? 300;
  const batchSize = options.batchSize ?? 32;
  const unscored = options.unscoredWeight ?? 0.2;
  const random = createRandom(seed + 1);
  const losses: number[] = [];
  for (let it = 0; it < iterations; it++) {
    throwIfAborted(options.signal, 'agent training');
    const batch = collectEpisodes(env, batchSize, random.nextUint32());
    const weights = Float32Array.from(batch.scored, (s) => (s ? 1 : unscored));
    agent.zeroGrad();
    const logits = agent.forward(new Tensor(batch.observations, [batch.episodes, batch.steps, batch.observationSize]));
    const loss = softmaxCrossEntropy(logits, batch.correct, weights);
    backward(loss);
    clipGradientNorm(agent.parameters(), 5);
    optimizer.step();
    losses.push(loss.item());
    options.onIteration?.(it, loss.item());
    options.onProgress?.({ done: it + 1, total: iterations, stage: 'training agent' });
    if (it % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  agent.setTraining(false);
  return { agent, losses };
}

/** Accuracy on scored steps when the agent plays `episodes` fresh episodes online. */
export function evaluateRecurrentAgent(agent: RecurrentAgent, env: Environment<Float32Array, number>, options: { episodes?: number; seed?: number } = {}): { accuracy: number; scored_steps: number; total_reward: number } {
  const random = createRandom(options.seed ?? 12345);
  let reward = 0;
  let scored = 0;
  for (let e = 0; e < (options.episodes ?? 100); e++) {
    let { observation, info } = env.reset({ seed: random.nextUint32() });
    const history: Float32Array[] = [];
    for (;;) {
      history.push(observation);
      const action = agent.act(history);
      if (info['scored']) scored++;
      const r = env.step(action);
      reward += r.reward;
      if (r.terminated || r.truncated) break;
      observation = r.observation;
      info = r.info;
    }
  }
  return { accuracy: scored > 0 ? reward / scored : 0, scored_steps: scored, total_reward: reward };
}
