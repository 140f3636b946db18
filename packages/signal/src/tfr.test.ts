import { expect, it } from 'vitest';
import { morletPower, multitaperPsd, spectrogram } from './tfr.ts';
import { envelope } from './hilbert.ts';

// Values from SciPy 1.10.1 / MNE 1.3.0 (/usr/bin/python3) for x[t] = sin(0.3 t) + 0.5 cos(1.1 t) + 0.01 t, t = 0..299, fs = 100:
//   scipy.signal.spectrogram(x, fs=100, window='hann', nperseg=64, noverlap=32) (our defaults are Welch's: Hann, 50 %;
//   SciPy's spectrogram defaults to a Tukey window and nperseg // 8 overlap); numpy.abs(scipy.signal.hilbert(x));
//   mne.time_frequency.psd_array_multitaper(x, 100, bandwidth=4, adaptive=False, low_bias=True, normalization='full');
//   mne.time_frequency.tfr_array_morlet(x[None, None], 100, [5, 10, 20], n_cycles=5, output='power').
const x = Float64Array.from({ length: 300 }, (_, t) => Math.sin(0.3 * t) + 0.5 * Math.cos(1.1 * t) + 0.01 * t);
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

it('spectrogram equals scipy.signal.spectrogram(hann, 64, 32) (times, and values at 4 bins over 8 decades; rel 1e-9)', () => {
  const s = spectrogram(x, 100, { nperseg: 64 });
  expect(Array.from(s.times)).toEqual([0.32, 0.64, 0.96, 1.28, 1.6, 1.92, 2.24, 2.56].map((v) => expect.closeTo(v, 12)));
  const expected: Array<[number, number, number]> = [[5, 0, 3.189981088321247e-5], [10, 1, 0.006575675739042573], [17, 3, 5.492841614916458e-8], [30, 2, 9.202542783469895e-12]];
  for (const [bin, segment, value] of expected) expect(relative(s.power[segment]![bin]!, value)).toBeLessThan(1e-9);
});

it('Hilbert envelope equals numpy.abs(scipy.signal.hilbert(x)) at the ends and the middle (rel 1e-12)', () => {
  const e = envelope(x);
  expect(relative(e[0]!, 5.003538767493875)).toBeLessThan(1e-12);
  expect(relative(e[100]!, 0.8458951763128922)).toBeLessThan(1e-12);
  expect(relative(e[299]!, 6.3645691529864985)).toBeLessThan(1e-12);
});

it('multitaperPsd equals mne psd_array_multitaper(bandwidth=4, adaptive=False) (151 bins; rel 1e-9)', () => {
  const mt = multitaperPsd(x, 100, { bandwidth: 4 });
  expect(mt.frequencies.length).toBe(151);
  expect(mt.frequencies[10]).toBeCloseTo(3.333333333333333, 12);
  const expected: Array<[number, number]> = [[0, 0.17957726768196575], [10, 0.12600411961012964], [40, 0.0005044635248849839], [150, 1.2920674024969165e-5]];
  for (const [bin, value] of expected) expect(relative(mt.power[bin]!, value)).toBeLessThan(1e-9);
});

it('morletPower equals mne.time_frequency.tfr_array_morlet(freqs=[5, 10, 20], n_cycles=5, output="power") (rel 1e-9)', () => {
  const power = morletPower(x, 100, [5, 10, 20], 5);
  const expected: Array<[number, number, number]> = [[0, 150, 26.813288799402486], [1, 150, 0.015081203032700836], [2, 150, 1.1931778543209786], [1, 0, 0.19727339447141504], [2, 299, 3.583045535548729]];
  for (const [f, t, value] of expected) expect(relative(power[f]![t]!, value)).toBeLessThan(1e-9);
});
