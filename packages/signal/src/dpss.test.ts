import { expect, it } from 'vitest';
import { dpss } from './dpss.ts';

// scipy.signal.windows.dpss(64, 2.5, 4, return_ratios=True) with SciPy 1.10.1 (/usr/bin/python3),
// samples 0, 10, 31, 50 and 63 of each taper, and the concentration ratios.
const scipyValues = [
  [0.0012289709940492785, 0.03609557313301332, 0.21899450645426682, 0.06052938802043039, 0.0012289709940492798],
  [0.007905854887166937, 0.10480247077847239, 0.012787882119657664, -0.14464211991189713, -0.007905854887166922],
  [0.03331046137598034, 0.17730162954802475, -0.14361261630561314, 0.18803347343301866, 0.033310461375980316],
  [0.10052097618754251, 0.1738799954060204, -0.013458392561079969, -0.11144951550567697, -0.10052097618754233],
];
const scipyRatios = [0.9999972774351693, 0.9998465484588149, 0.9962668597877569, 0.952425961501308];

it('dpss(64, 2.5, 4) equals scipy.signal.windows.dpss tapers (signs included) and concentration ratios (abs 1e-10)', () => {
  const { tapers, ratios } = dpss(64, 2.5, 4);
  tapers.forEach((taper, k) => [0, 10, 31, 50, 63].forEach((i, j) => expect(Math.abs(taper[i]! - scipyValues[k]![j]!)).toBeLessThan(1e-10)));
  ratios.forEach((ratio, k) => expect(Math.abs(ratio - scipyRatios[k]!)).toBeLessThan(1e-10));
});
