import { describe, expect, it } from 'vitest';
import { CajalError } from '@cajal/core';
import type { ChannelInfo } from '@cajal/core';
import { chooseSpectralArrayChannels, computeCompressedSpectralArray } from './compressed-spectral-array.ts';

const rate = 256;
/** 12 s of a sine at `hz` (amplitude 10) with a small deterministic second tone. */
const sine = (hz: number, seconds = 12): Float32Array => Float32Array.from({ length: seconds * rate }, (_, t) => 10 * Math.sin((2 * Math.PI * hz * t) / rate) + 0.1 * Math.sin((2 * Math.PI * 3.3 * t) / rate));
const channel = (label: string, type: ChannelInfo['type'], sampleRateHz = rate): ChannelInfo => ({ label, unit: 'uV', sampleRateHz, sampleCount: 12 * sampleRateHz, type });

describe('computeCompressedSpectralArray', () => {
  it('gives one finite dB row per 2-s window (12 s: six, at 0, 2, ... 10 s), 0-40 Hz in 1-Hz bins', async () => {
    const csa = await computeCompressedSpectralArray([sine(10), sine(10)], rate);
    expect(csa.timesSeconds).toEqual([0, 2, 4, 6, 8, 10]);
    expect(csa.powerDb).toHaveLength(6);
    expect(csa.frequenciesHz).toEqual(Array.from({ length: 41 }, (_, k) => k));
    for (const row of csa.powerDb) expect(row).toHaveLength(csa.frequenciesHz.length);
    expect(csa.powerDb.flat().every(Number.isFinite)).toBe(true);
  });

  it('averages linear power over channels (one at 6 Hz, one at 20 Hz: both peaks 3 dB below a lone channel), from an async source', async () => {
    async function* channels(): AsyncGenerator<Float32Array> {
      yield sine(6);
      yield sine(20);
    }
    const both = await computeCompressedSpectralArray(channels(), rate);
    const alone = await computeCompressedSpectralArray([sine(6)], rate);
    const row = both.powerDb[2] as number[];
    expect(row[6]).toBeCloseTo((alone.powerDb[2] as number[])[6]! - 10 * Math.log10(2), 1);
    expect(row[20]! - row[10]!).toBeGreaterThan(30);
  });

  it('keeps at most maxColumns windows, evenly spaced, and the frequencies up to maxFrequencyHz', async () => {
    const csa = await computeCompressedSpectralArray([sine(10)], rate, { maxColumns: 4, maxFrequencyHz: 20 });
    expect(csa.timesSeconds).toEqual([0, 4, 8]);
    expect(Math.max(...csa.frequenciesHz)).toBe(20);
  });

  it('refuses a recording shorter than one window, no channels, and a cancelled signal, with typed errors', async () => {
    const short = computeCompressedSpectralArray([sine(10).subarray(0, 100)], rate);
    await expect(short).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(short).rejects.toThrow('the recording is shorter than one 2-s window');
    await expect(computeCompressedSpectralArray([], rate)).rejects.toBeInstanceOf(CajalError);
    const controller = new AbortController();
    controller.abort();
    await expect(computeCompressedSpectralArray([sine(10)], rate, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('chooseSpectralArrayChannels', () => {
  const channels = [channel('Fp1', 'eeg'), channel('ECG', 'ecg'), channel('Cz', 'eeg'), channel('Pz', 'eeg', 128)];
  it('takes the EEG channels at the first one\'s rate, one channel by label, else every channel', () => {
    expect(chooseSpectralArrayChannels(channels).map((c) => c.label)).toEqual(['Fp1', 'Cz']);
    expect(chooseSpectralArrayChannels(channels, 'ecg').map((c) => c.label)).toEqual(['ECG']);
    expect(chooseSpectralArrayChannels([channel('ECG', 'ecg'), channel('EMG', 'emg')]).map((c) => c.label)).toEqual(['ECG', 'EMG']);
    expect(() => chooseSpectralArrayChannels(channels, 'O9')).toThrow(/no channel "O9"/);
  });
});
