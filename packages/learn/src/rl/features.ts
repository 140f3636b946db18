import { CajalError, spaceSize, type Space } from '@cajal/core';

/**
 * Turn observations into feature vectors for linear agents: a discrete observation becomes a
 * one-hot vector (so linear = tabular); a box observation is copied and followed by a
 * constant bias feature 1.
 *
 * @example
 *   const encoder = observationEncoder({ kind: 'discrete', n: 3 });
 *   encoder.encode(2); // Float64Array [0, 0, 1]
 */
export interface ObservationEncoder {
  size: number;
  encode(observation: unknown, out?: Float64Array): Float64Array;
}

export function observationEncoder(space: Space): ObservationEncoder {
  if (space.kind === 'discrete') {
    const n = space.n;
    return {
      size: n,
      encode(observation, out = new Float64Array(n)) {
        if (typeof observation !== 'number' || !(observation >= 0 && observation < n)) {
          throw new CajalError('INVALID_ARGUMENT', `observation ${String(observation)} is not in 0..${n - 1}`, { field: 'observation' });
        }
        out.fill(0);
        out[observation] = 1;
        return out;
      },
    };
  }
  const n = spaceSize(space);
  return {
    size: n + 1,
    encode(observation, out = new Float64Array(n + 1)) {
      const values = observation as ArrayLike<number>;
      if (values === null || typeof values !== 'object' || values.length !== n) {
        throw new CajalError('INVALID_ARGUMENT', `observation has ${(values as { length?: number })?.length} values, expected ${n}`, { field: 'observation' });
      }
      for (let i = 0; i < n; i++) out[i] = values[i] as number;
      out[n] = 1;
      return out;
    },
  };
}
