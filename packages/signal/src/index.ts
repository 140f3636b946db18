/**
 * @cajal/signal: filters, resampling, spectra, connectivity and features as pure functions on
 * typed arrays, with thin wrappers on `Recording`. The DSP core (filter design, Welch,
 * connectivity) is hand-written TypeScript, the power-of-two FFT a hand-emitted WebAssembly SIMD
 * kernel (fft.js where SIMD is missing); see README.md for parity and speed figures.
 */
export * from './fft.ts';
export * from './real-fft.ts';
export * from './wasm-fft.ts';
export * from './windows.ts';
export * from './fir.ts';
export * from './filter.ts';
export * from './iir.ts';
export * from './resample.ts';
export * from './welch.ts';
export * from './bands.ts';
export * from './hilbert.ts';
export * from './connectivity.ts';
export * from './connectivity-time.ts';
export * from './graph-measures.ts';
export * from './features.ts';
export * from './dpss.ts';
export * from './tfr.ts';
export * from './compressed-spectral-array.ts';
export * from './positions.ts';
export * from './head-map.ts';
export * from './montage.ts';
export * from './montage-rows.ts';
export * from './display-filter.ts';
export * from './epochs.ts';
export * from './recording-ops.ts';
export * from './channel-analysis.ts';
export * from './tasks.ts';
export * from './pool.ts';
export * from './pool.web.ts';
export * from './pipeline.ts';
export * from './analysis-json.ts';
