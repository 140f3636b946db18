/**
 * @cajal/signal: filters, resampling, spectra, connectivity and features as pure functions on
 * typed arrays, with thin wrappers on `Recording`. The DSP core (FFT, filter design, Welch,
 * connectivity) is hand-written TypeScript; see README.md for parity and speed figures.
 */
export * from './fft.ts';
export * from './windows.ts';
export * from './fir.ts';
export * from './filter.ts';
export * from './iir.ts';
export * from './resample.ts';
export * from './welch.ts';
export * from './bands.ts';
