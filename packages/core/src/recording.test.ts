import { describe, expect, it } from 'vitest';
import { channelTimes, createRecording, findChannel, findGaps, sampleTimeSeconds } from './recording.ts';
import { CajalError } from './errors.ts';
import { voltageScale } from './units.ts';

describe('recording time axis', () => {
  const segments = [
    { onsetSeconds: 0, durationSeconds: 2 },
    { onsetSeconds: 5, durationSeconds: 1 },
  ];

  it('finds gaps between segments', () => {
    expect(findGaps(segments)).toEqual([{ onsetSeconds: 2, durationSeconds: 3 }]);
  });

  it('places samples after a gap at the later segment', () => {
    expect(sampleTimeSeconds(segments, 10, 19)).toBeCloseTo(1.9);
    expect(sampleTimeSeconds(segments, 10, 20)).toBeCloseTo(5.0);
    const times = channelTimes(segments, { sampleRateHz: 10, sampleCount: 30 });
    expect(times[20]).toBeCloseTo(5);
    expect(times[29]).toBeCloseTo(5.9);
  });

  it('refuses channels whose counts disagree with their samples', () => {
    expect(() =>
      createRecording({
        channels: [{ label: 'Cz', unit: 'uV', sampleRateHz: 10, sampleCount: 5, type: 'eeg', samples: new Float32Array(4) }],
      }),
    ).toThrow(CajalError);
  });

  it('looks channels up by label, case-insensitively as a fallback', () => {
    const rec = createRecording({
      channels: [{ label: 'Cz', unit: 'uV', sampleRateHz: 10, sampleCount: 0, type: 'eeg', samples: new Float32Array(0) }],
    });
    expect(findChannel(rec.channels, 'cz').label).toBe('Cz');
    expect(() => findChannel(rec.channels, 'Pz')).toThrow(/no channel "Pz"/);
  });

  it('converts voltage units, whichever micro sign is used', () => {
    expect(voltageScale('µV', 'V')).toBeCloseTo(1e-6);
    expect(voltageScale('μV', 'nV')).toBeCloseTo(1000);
    expect(voltageScale('mV', 'uV')).toBeCloseTo(1000);
  });
});
