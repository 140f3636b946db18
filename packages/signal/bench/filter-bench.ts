/**
 * Filter-stage micro-benchmark (prints JSON): band-pass 1-40 + notch 50 (MNE FIR defaults) of the
 * 1-hour, 23-channel, 256 Hz EDF, split into design, prepare and apply, CPU seconds per part.
 *
 *   npm run bench:filter -w @cajal/signal -- FILE [--fft N]   (FILE: e.g. the EDF written by shared/peers/make_edf.py --hours 1)
 */
import { readRecordingFile } from '@cajal/formats/node';
import { applyFirCascadeZeroPhaseMany, prepareFirCascade } from '../src/filter.ts';
import { designFirFilter, designNotchFilter } from '../src/fir.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: filter-bench.ts FILE');
const fftIndex = process.argv.indexOf('--fft');
const fftSize = fftIndex >= 0 ? Number(process.argv[fftIndex + 1]) : undefined;
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const recording = await readRecordingFile(file);
const channels = recording.channels.map((c) => c.samples);
const fs = recording.channels[0]!.sampleRateHz;
const n = channels[0]!.length;
const out: Record<string, number> = {};
let c = cpu();
const stages = [designFirFilter(fs, 1, 40).coefficients, designNotchFilter(fs, [50]).coefficients];
out['design'] = cpu() - c;
c = cpu();
const cascade = prepareFirCascade(stages, n, fftSize);
out['prepare'] = cpu() - c;
out['fft_size'] = cascade.combined.fftSize;
out['taps'] = cascade.combined.coefficients.length;
c = cpu();
const y = applyFirCascadeZeroPhaseMany(channels, cascade, { output: 'float32' });
out['apply'] = cpu() - c;
c = cpu();
applyFirCascadeZeroPhaseMany(channels, cascade, { output: 'float32' });
out['apply_again'] = cpu() - c;
out['check'] = y[0]![12345]!;
console.log(JSON.stringify(out));
