import { describe, expect, it } from 'vitest';
import { CueingTask } from '@cajal/tasks';
import { evaluateCueingNetwork, trainCueingNetwork } from './cueing-network.ts';

/**
 * Criteria (cue validity 0.8, contrast 1.2 against unit noise; 2000 fresh trials): the trained
 * network puts more than 60% of its attention on the cued location (0.5 = no bias; it keeps
 * some on the other location, which still informs the 20% invalid trials), is above chance on
 * valid trials (> 70%), and shows a cueing effect: valid accuracy exceeds invalid
 * accuracy by more than 5 points, as people's responses do.
 */
describe('attention network on Posner cueing', () => {
  it('attends to the cued location and shows a cueing effect', async () => {
    const { network, losses } = await trainCueingNetwork(new CueingTask({ validity: 0.8, contrast: 1.2 }), { iterations: 600, seed: 1 });
    const r = evaluateCueingNetwork(network, new CueingTask({ validity: 0.8, contrast: 1.2 }), { trials: 2000, seed: 5 });
    console.log(`cueing: valid ${(r.valid_accuracy * 100).toFixed(1)}%, invalid ${(r.invalid_accuracy * 100).toFixed(1)}%, effect ${(r.cueing_effect * 100).toFixed(1)} points, attention on cued location ${r.attention_to_cued_location.toFixed(3)}; loss ${losses[0]?.toFixed(3)} -> ${losses.at(-1)?.toFixed(3)}`);
    expect(r.attention_to_cued_location).toBeGreaterThan(0.6);
    expect(r.valid_accuracy).toBeGreaterThan(0.7);
    expect(r.cueing_effect).toBeGreaterThan(0.05);
  });
});
