/**
 * Benchmark: Cajal's BrainVision and NIfTI readers next to MNE-Python's
 * `read_raw_brainvision(preload=True)` and nibabel's `get_fdata(dtype=float32)` on the same
 * generated files, in one run. Each reader runs in its own process so that peak memory
 * (max RSS) is its own. Prints JSON.
 *
 *   npm run bench:peers -w @cajal/formats --  [--minutes 60] [--python /usr/bin/python3]
 *
 * Files (deterministic, in $PEERS_DATA or the temp dir): a 32-channel, 500 Hz, INT_16
 * multiplexed BrainVision recording of `--minutes` minutes, and a 64 x 64 x 40 x 200 int16
 * NIfTI-1 (.nii.gz) with scl_slope 0.5.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeSync, closeSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { createRandom } from '@cajal/core';
import { openRecordingFile, openPathSource } from '../src/node.ts';
import { readNiftiVolume } from '../src/nifti/volume.ts';
import { buildNifti1 } from '../src/nifti/fixture.ts';

const channels = 32;
const rateHz = 500;

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function makeBrainVision(folder: string, minutes: number): string {
  const base = `bench_${channels}ch_${rateHz}hz_${minutes}min`;
  const vhdr = join(folder, `${base}.vhdr`);
  if (existsSync(vhdr)) return vhdr;
  const random = createRandom(20261127);
  const samples = minutes * 60 * rateHz;
  const fd = openSync(join(folder, `${base}.eeg`), 'w');
  const rowsPerChunk = 50000;
  const state = new Float64Array(channels);
  for (let row = 0; row < samples; row += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, samples - row);
    const chunk = new Int16Array(rows * channels);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < channels; c++) {
        // A random walk pulled back to zero: a smooth, EEG-like amplitude distribution.
        state[c] = 0.98 * (state[c] as number) + random.normal() * 40;
        chunk[r * channels + c] = Math.max(-32768, Math.min(32767, Math.round(state[c] as number)));
      }
    }
    writeSync(fd, new Uint8Array(chunk.buffer));
  }
  closeSync(fd);
  const lines = [
    'Brain Vision Data Exchange Header File Version 1.0',
    '[Common Infos]',
    'Codepage=UTF-8',
    `DataFile=${base}.eeg`,
    `MarkerFile=${base}.vmrk`,
    'DataFormat=BINARY',
    'DataOrientation=MULTIPLEXED',
    `NumberOfChannels=${channels}`,
    `SamplingInterval=${1e6 / rateHz}`,
    '[Binary Infos]',
    'BinaryFormat=INT_16',
    '[Channel Infos]',
    ...Array.from({ length: channels }, (_, c) => `Ch${c + 1}=E${c + 1},,0.1,µV`),
  ];
  writeFileSync(vhdr, lines.join('\n') + '\n');
  const markers = ['Brain Vision Data Exchange Marker File, Version 1.0', '[Marker Infos]', 'Mk1=New Segment,,1,1,0,20261127000000000000'];
  for (let k = 2; k <= 200; k++) markers.push(`Mk${k}=Stimulus,S  ${k % 10},${Math.floor(((k - 1) * samples) / 200)},1,0`);
  writeFileSync(join(folder, `${base}.vmrk`), markers.join('\n') + '\n');
  return vhdr;
}

function makeNifti(folder: string): string {
  const path = join(folder, 'bench_64x64x40x200.nii.gz');
  if (existsSync(path)) return path;
  const random = createRandom(7);
  const shape = [64, 64, 40, 200];
  const values = new Int16Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = Math.round(1000 + 200 * random.normal());
  writeFileSync(path, gzipSync(buildNifti1({ shape, values, datatype: 4, slope: 0.5, pixdim: [1, 3, 3, 3, 2, 1, 1, 1] }), { level: 6 }));
  return path;
}

/** Child modes: one measurement per process; prints one JSON line. */
async function child(mode: string, path: string, startSeconds: number): Promise<void> {
  const rssBefore = process.resourceUsage().maxRSS;
  const start = performance.now();
  let detail: Record<string, number> = {};
  if (mode === 'cajal-full') {
    const opened = await openRecordingFile(path);
    const recording = await opened.read();
    await opened.close();
    detail = { channels: recording.channels.length, samples: recording.channels[0]?.sampleCount ?? 0 };
  } else if (mode === 'cajal-one') {
    const source = await openPathSource(path);
    const eegName = path.replace(/\.vhdr$/, '.eeg');
    const data = await openPathSource(eegName);
    let touched = 0;
    const countingData = { ...data, read: async (o: number, l: number) => ((touched += l), data.read(o, l)) };
    const opened = await openRecordingFile({ ...source, sibling: async (n: string) => (n.endsWith('.eeg') ? countingData : source.sibling?.(n)) });
    const samples = await opened.readChannel(16, { startSeconds, endSeconds: startSeconds + 60 });
    await opened.close();
    detail = { samples: samples.length, bytes_touched: touched, eeg_bytes: statSync(eegName).size };
  } else if (mode === 'cajal-nifti') {
    const source = await openPathSource(path);
    const volume = await readNiftiVolume(source);
    await source.close?.();
    detail = { voxels: volume.data.length };
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ seconds, max_rss_mb: process.resourceUsage().maxRSS / 1024, rss_before_mb: rssBefore / 1024, ...detail }));
}

function runChild(args: string[], python?: string): Record<string, number> {
  const command = python ?? process.execPath;
  const commandArgs = python ? args : ['--import', 'tsx', import.meta.filename, ...args];
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const last = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, number>;
  } catch {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  }
}

const pythonMne = `
import sys, time, resource, mne
mne.set_log_level('ERROR')
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
raw = mne.io.read_raw_brainvision(sys.argv[1], preload=(sys.argv[2] == 'full'))
if sys.argv[2] == 'one':
    start = float(sys.argv[3])
    data = raw.get_data(picks=[16], tmin=start, tmax=start + 60 - 1 / raw.info['sfreq'])
else:
    data = raw.get_data()
import json
print(json.dumps({'seconds': time.perf_counter() - t, 'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'rss_before_mb': before / 1024, 'shape0': data.shape[0], 'shape1': data.shape[1]}))
`;

const pythonNibabel = `
import sys, time, resource, json, numpy as np, nibabel
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
data = nibabel.load(sys.argv[1]).get_fdata(dtype=np.float32)
print(json.dumps({'seconds': time.perf_counter() - t, 'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'rss_before_mb': before / 1024, 'voxels': int(data.size)}))
`;

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) return child(process.argv[childIndex + 1] as string, process.argv[childIndex + 2] as string, Number(process.argv[childIndex + 3] ?? 0));
  const minutes = Number(argument('minutes', '60'));
  const python = argument('python', '/usr/bin/python3');
  const folder = join(process.env['PEERS_DATA'] ?? join(tmpdir(), 'cajal-peers'), 'brainvision-nifti');
  mkdirSync(folder, { recursive: true });
  const vhdr = makeBrainVision(folder, minutes);
  const nifti = makeNifti(folder);
  const eegBytes = statSync(vhdr.replace(/\.vhdr$/, '.eeg')).size;
  const cajalFull = runChild(['--child', 'cajal-full', vhdr]);
  const mneFull = runChild(['-c', pythonMne, vhdr, 'full'], python);
  // One channel, one minute from the middle of the recording.
  const middle = String(Math.floor((minutes * 60) / 2));
  const cajalOne = runChild(['--child', 'cajal-one', vhdr, middle]);
  const mneOne = runChild(['-c', pythonMne, vhdr, 'one', middle], python);
  const cajalNifti = runChild(['--child', 'cajal-nifti', nifti]);
  let nibabel: Record<string, number> | string;
  try {
    nibabel = runChild(['-c', pythonNibabel, nifti], python);
  } catch (error) {
    nibabel = `nibabel run failed (apt-get install -y python3-nibabel): ${(error as Error).message.split('\n').pop() ?? ''}`;
  }
  const mb = eegBytes / 1e6;
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        brainvision: { file: vhdr, channels, rate_hz: rateHz, minutes, eeg_mb: mb, one_channel_window_s: [Number(middle), Number(middle) + 60], cajal_full: cajalFull, mne_full: mneFull, speed_ratio_full: (mneFull['seconds'] as number) / (cajalFull['seconds'] as number), peak_memory_ratio_full: (cajalFull['max_rss_mb'] as number) / (mneFull['max_rss_mb'] as number), cajal_one_channel_60s: cajalOne, mne_one_channel_60s: mneOne, speed_ratio_one: (mneOne['seconds'] as number) / (cajalOne['seconds'] as number) },
        nifti: { file: nifti, shape: [64, 64, 40, 200], cajal: cajalNifti, nibabel, speed_ratio: typeof nibabel === 'string' ? null : (nibabel['seconds'] as number) / (cajalNifti['seconds'] as number) },
      },
      null,
      1,
    ),
  );
}

await main();
