import { describe, expect, it } from 'vitest';
import { demoSeizureText, makeDemoEeg, tenTwentyLabels } from './demo-eeg.ts';
import type { Channel } from './recording.ts';

/** Power of a channel at `frequency` Hz over [from, to) seconds (single-bin DFT, Hann window). */
function powerAt(channel: Channel, frequency: number, from: number, to: number): number {
  const start = Math.round(from * channel.sampleRateHz);
  const end = Math.round(to * channel.sampleRateHz);
  let re = 0;
  let im = 0;
  for (let i = start; i < end; i++) {
    const window = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i - start)) / (end - start));
    const angle = (2 * Math.PI * frequency * i) / channel.sampleRateHz;
    const x = (channel.samples[i] as number) * window;
    re += x * Math.cos(angle);
    im -= x * Math.sin(angle);
  }
  return (re * re + im * im) / (end - start);
}

describe('makeDemoEeg (SIMULATED EEG)', () => {
  const recording = makeDemoEeg({ seed: 3, durationSeconds: 60 });
  const byLabel = (label: string): Channel => recording.channels.find((c) => c.label === label) as Channel;

  it('has 19 10-20 channels at 256 Hz in µV and says it is simulated', () => {
    expect(recording.channels.map((c) => c.label)).toEqual([...tenTwentyLabels]);
    for (const c of recording.channels) {
      expect(c.sampleRateHz).toBe(256);
      expect(c.sampleCount).toBe(60 * 256);
      expect(c.unit).toBe('uV');
    }
    expect(recording.subject.name).toMatch(/SIMULATED/);
    expect(recording.recordingInfo.equipment).toMatch(/SIMULATED/);
    expect(recording.annotations).toEqual([{ onsetSeconds: 24, durationSeconds: 12, text: demoSeizureText }]);
  });

  it('is deterministic per seed (same seed identical, other seed different)', () => {
    const again = makeDemoEeg({ seed: 3, durationSeconds: 60 });
    expect(again.channels[5]?.samples).toEqual(recording.channels[5]?.samples);
    const other = makeDemoEeg({ seed: 4, durationSeconds: 60 });
    expect(other.channels[5]?.samples).not.toEqual(recording.channels[5]?.samples);
  });

  it('alpha is posterior: 10 Hz power at O1 exceeds 5x that at Fp1 outside the episode', () => {
    expect(powerAt(byLabel('O1'), 10, 2, 22)).toBeGreaterThan(5 * powerAt(byLabel('Fp1'), 10, 2, 22));
  });

  it('the episode is rhythmic ~3 Hz: Fz power at 3 Hz in the episode exceeds 10x the same-length baseline', () => {
    const episode = powerAt(byLabel('Fz'), 3, 26, 34);
    const baseline = powerAt(byLabel('Fz'), 3, 4, 12);
    expect(episode).toBeGreaterThan(10 * baseline);
  });

  it('background is pink: 2 Hz power exceeds 40 Hz power in a channel without alpha or blinks nearby', () => {
    expect(powerAt(byLabel('T3'), 2, 40, 60)).toBeGreaterThan(4 * powerAt(byLabel('T3'), 40, 40, 60));
  });
});
