import { wasmFftAvailable } from './wasm-fft.ts';

/**
 * A cache of FFT plans (or workspaces) keyed by size and by whether the WebAssembly FFT is on,
 * since a plan built for one setting must not serve the other (tests switch it). Emptied when it
 * holds more than `limit` entries, so long-running processes with many sizes stay bounded.
 *
 * @example
 *   const plans = planCache<RealFft>(64);
 *   const plan = plans(size, () => new EvenRealFft(size));
 */
export function planCache<T>(limit: number): (size: number, make: (wasm: boolean) => T) => T {
  const plans = new Map<string, T>();
  return (size, make) => {
    const wasm = wasmFftAvailable();
    const key = `${size}:${wasm}`;
    let plan = plans.get(key);
    if (plan === undefined) {
      plan = make(wasm);
      if (plans.size > limit) plans.clear();
      plans.set(key, plan);
    }
    return plan;
  };
}
