import { describe, expect, it } from 'vitest';
import { NBackTask, delayedMatchSequence } from '@cajal/tasks';
import { evaluateRecurrentAgent, trainRecurrentAgent } from './working-memory-agents.ts';

/**
 * Criteria: after supervised training on the correct action of each step, the agent playing
 * 100 fresh episodes online (argmax actions through Environment.step) earns reward on at least
 * 90% of scored steps; chance is 50% in both tasks (match probability 0.5).
 */
describe('recurrent working-memory agents', () => {
  it('an LSTM agent solves 2-back (accuracy >= 90%, chance 50%)', async () => {
    const { agent, losses } = await trainRecurrentAgent(() => new NBackTask({ n: 2, stimuli: 4, length: 20 }), { cell: 'lstm', hidden: 32, iterations: 250, unscoredWeight: 0, seed: 1 });
    const result = evaluateRecurrentAgent(agent, new NBackTask({ n: 2, stimuli: 4, length: 20 }), { episodes: 100, seed: 77 });
    console.log(`2-back LSTM: accuracy ${(result.accuracy * 100).toFixed(1)}% over ${result.scored_steps} scored steps; loss ${losses[0]?.toFixed(3)} -> ${losses.at(-1)?.toFixed(3)}`);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('a GRU agent solves delayed match-to-sample with delays 2-6 (accuracy >= 90%, chance 50%)', async () => {
    const { agent, losses } = await trainRecurrentAgent(() => delayedMatchSequence({ stimulusCount: 4, minDelay: 2, maxDelay: 6, steps: 30 }), { cell: 'gru', hidden: 32, iterations: 300, learningRate: 1e-2, unscoredWeight: 0.05, seed: 2 });
    const result = evaluateRecurrentAgent(agent, delayedMatchSequence({ stimulusCount: 4, minDelay: 2, maxDelay: 6, steps: 30 }), { episodes: 100, seed: 78 });
    console.log(`DMS GRU: accuracy ${(result.accuracy * 100).toFixed(1)}% over ${result.scored_steps} scored steps; loss ${losses[0]?.toFixed(3)} -> ${losses.at(-1)?.toFixed(3)}`);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
