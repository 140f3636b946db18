/**
 * PSD-stage micro-benchmark (prints JSON): Welch PSD with MNE's conventions (Hamming, 512/256) and
 * band powers of every channel of a recording, as the `psd` stage of pipeline-bench; CPU seconds of
 * a first and a second pass (float32 input, like the filtered channels there).
 *
 *   npm run bench:psd -w @cajal/signal -- FILE
 */
import { readRecordingFile } from '@cajal/formats/node';
import { bandPowers, defaultBands } from '../src/bands.ts';
import { psdArrayWelch } from '../src/welch.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: psd-bench.ts FILE');
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const recording = await readRecordingFile(file);
const channels = recording.channels.map((c) => c.samples);
const fs = recording.channels[0]!.sampleRateHz;
const out: Record<string, number> = {};
const run = (): number => {
  const powers = channels.map((x) => {
    const spectrum = psdArrayWelch(x, fs, { nFft: 512, nOverlap: 256 });
    return bandPowers(spectrum.frequencies, spectrum.power, defaultBands.slice(0, 4), [1, 45], 'sum');
  });
  return powers[0]!.absolute['alpha']!;
};
let c = cpu();
out['check'] = run();
out['psd'] = cpu() - c;
c = cpu();
run();
out['psd_again'] = cpu() - c;
console.log(JSON.stringify(out));
