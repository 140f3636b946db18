/**
 * EDF read benchmark (prints JSON): Cajal vs MNE-Python's read_raw_edf(preload=True) on the same
 * 1-hour, 23-channel, 256 Hz EDF in the same run, and a one-channel read of a ~1 GB EDF+ file
 * written with Cajal's streaming writer (deleted afterwards). Each measurement runs in a fresh
 * process so peak RSS is its own; medians of `--rounds` (default 5), Cajal and MNE interleaved.
 * The Cajal child is bundled to plain JavaScript with esbuild and run by plain `node`, as a
 * built app would run it (tsx's loader alone adds ~40 MB of resident memory).
 *
 *   npm run bench -w @cajal/formats            (add -- --rounds 5 --gigabytes 1)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, statfsSync } from 'node:fs';
import { arch, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { sharedPath } from '@cajal/core/testing';
import { createEdfFileWriter } from '../src/edf/node.ts';
import type { EdfWriteSpec } from '../src/edf/layout.ts';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const rounds = argument('rounds', 5);
const gigabytes = argument('gigabytes', 1);
const python = '/usr/bin/python3';
const folder = mkdtempSync(join(tmpdir(), 'cajal-edf-bench-'));
const child = join(folder, 'edf-child.mjs');
await build({ entryPoints: [join(import.meta.dirname, 'edf-child.ts')], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'warning' });
process.on('exit', () => rmSync(folder, { recursive: true, force: true }));

type Figures = Record<string, number | string>;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function runChild(args: string[]): Figures {
  const out = execFileSync(process.execPath, [child, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as Figures;
}

const mneScript = `
import json, resource, sys, time, os
import mne
mne.set_log_level('ERROR')
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
baseline = rss()
t = time.perf_counter()
cpu = time.process_time()
raw = mne.io.read_raw_edf(sys.argv[1], preload=True)
seconds = time.perf_counter() - t
cpu_seconds = time.process_time() - cpu
print(json.dumps({'seconds': seconds, 'cpu_seconds': cpu_seconds, 'samples': int(raw._data.size), 'baseline_rss_bytes': baseline,
                  'peak_rss_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, 'mne': mne.__version__}))
`;

function runMne(file: string): Figures | undefined {
  try {
    const out = execFileSync(python, ['-c', mneScript, file, 'full'], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(out.trim().split('\n').pop() as string) as Figures;
  } catch (error) {
    process.stderr.write(`MNE run failed: ${(error as Error).message.split('\n')[0]}\n`);
    return undefined;
  }
}

function summarise(runs: Figures[], keys: string[]): Figures {
  const result: Figures = { runs: runs.length };
  for (const key of keys) result[key] = median(runs.map((r) => Number(r[key])));
  return result;
}

/** The 1-hour file: the peer script's, else Cajal's writer would be needed (not silently). */
const hourFile = join(folder, 'one-hour.edf');
execFileSync(python, [sharedPath('peers', 'make_edf.py'), '--hours', '1', '--out', hourFile], { stdio: ['ignore', 'ignore', 'inherit'] });
const hourBytes = statSync(hourFile).size;

const cajalRuns: Figures[] = [];
const mneRuns: Figures[] = [];
for (let round = 0; round < rounds; round++) {
  cajalRuns.push(runChild(['full', hourFile]));
  const mne = runMne(hourFile);
  if (mne) mneRuns.push(mne);
}
const cajalFull = summarise(cajalRuns, ['seconds', 'cpu_seconds', 'peak_rss_bytes', 'baseline_rss_bytes', 'samples']);
const mneFull = mneRuns.length > 0 ? summarise(mneRuns, ['seconds', 'cpu_seconds', 'peak_rss_bytes', 'baseline_rss_bytes', 'samples']) : undefined;

/** A ~1 GB EDF+ file (23 channels, 256 Hz, 1-s records) written by the streaming writer. */
async function writeBigFile(path: string, targetBytes: number): Promise<void> {
  const labels = ['FP1-F7', 'F7-T7', 'T7-P7', 'P7-O1', 'FP1-F3', 'F3-C3', 'C3-P3', 'P3-O1', 'FP2-F4', 'F4-C4', 'C4-P4', 'P4-O2', 'FP2-F8', 'F8-T8', 'T8-P8-0', 'P8-O2', 'FZ-CZ', 'CZ-PZ', 'P7-T7', 'T7-FT9', 'FT9-FT10', 'FT10-T8', 'T8-P8-1'];
  const spec: EdfWriteSpec = {
    format: 'edf',
    recordSeconds: 1,
    signals: labels.map((label) => ({ label, unit: 'uV', samplesPerRecord: 256, physicalMin: -3276.8, physicalMax: 3276.7, digitalMin: -32768, digitalMax: 32767 })),
    annotationBytesPerRecord: 32,
    startTime: new Date(Date.UTC(2026, 0, 1)),
    discontinuous: false,
  };
  const recordBytes = labels.length * 512 + 32;
  const records = Math.ceil(targetBytes / recordBytes);
  const table = labels.map((_, c) => Float32Array.from({ length: 256 * 61 }, (_, k) => 40 * Math.sin((2 * Math.PI * (8 + c / 4) * k) / 256) + 10 * Math.sin(k * 0.7 + c)));
  const writer = await createEdfFileWriter(path, spec);
  for (let r = 0; r < records; r++) {
    const offset = (r % 60) * 256;
    await writer.writeRecord(table.map((t) => t.subarray(offset, offset + 256)));
  }
  await writer.close();
}

const bigFile = join(folder, 'big.edf');
const free = statfsSync(folder);
if (free.bavail * free.bsize < gigabytes * 1e9 * 1.5) {
  throw new Error(`not enough free space in ${folder}: ${Math.round((free.bavail * free.bsize) / 1e9)} GB free, ${gigabytes} GB needed (+50%)`);
}
const writeStarted = performance.now();
await writeBigFile(bigFile, gigabytes * 1e9);
const writeSeconds = (performance.now() - writeStarted) / 1000;
const bigBytes = statSync(bigFile).size;
const channelRuns: Figures[] = [];
for (let round = 0; round < rounds; round++) channelRuns.push(runChild(['channel', bigFile, 'CZ-PZ']));
const oneChannel = summarise(channelRuns, ['seconds', 'cpu_seconds', 'open_seconds', 'peak_rss_bytes', 'baseline_rss_bytes', 'samples', 'bytes_read_open', 'reads_open', 'bytes_read_samples', 'reads_samples', 'channel_bytes_in_file', 'annotation_bytes_in_file', 'header_bytes']);
rmSync(folder, { recursive: true, force: true });

const mb = (bytes: number): number => Math.round(bytes / 1e4) / 100;
const report = {
  benchmark: 'edf-read',
  date: new Date().toISOString(),
  node: process.version,
  machine: `${cpus().length}-core ${arch()}, ${Math.round(totalmem() / 2 ** 30)} GiB (${cpus()[0]?.model ?? 'cpu'})`,
  targets: 'Cajal >= 3x MNE read speed, <= 0.5x its peak RSS; one-channel read touches only that channel',
  one_hour_edf: {
    file_bytes: hourBytes,
    made_with: 'shared/peers/make_edf.py --hours 1 (23 channels, 256 Hz, 1-s records, plain EDF)',
    cajal: { ...cajalFull, throughput_mb_per_s: Math.round(hourBytes / 1e6 / Number(cajalFull['seconds'])), peak_rss_mb: mb(Number(cajalFull['peak_rss_bytes'])) },
    mne: mneFull ? { ...mneFull, throughput_mb_per_s: Math.round(hourBytes / 1e6 / Number(mneFull['seconds'])), peak_rss_mb: mb(Number(mneFull['peak_rss_bytes'])), call: 'mne.io.read_raw_edf(preload=True)' } : 'MNE not available (apt-get install -y python3-mne)',
    speed_ratio_cajal_over_mne: mneFull ? Number((Number(mneFull['seconds']) / Number(cajalFull['seconds'])).toFixed(2)) : null,
    peak_memory_ratio_cajal_over_mne: mneFull ? Number((Number(cajalFull['peak_rss_bytes']) / Number(mneFull['peak_rss_bytes'])).toFixed(2)) : null,
    cpu_time_ratio_mne_over_cajal: mneFull ? Number((Number(mneFull['cpu_seconds']) / Number(cajalFull['cpu_seconds'])).toFixed(2)) : null,
    speed_target_met: mneFull ? Number(mneFull['seconds']) / Number(cajalFull['seconds']) >= 3 : null,
    memory_target_met: mneFull ? Number(cajalFull['peak_rss_bytes']) / Number(mneFull['peak_rss_bytes']) <= 0.5 : null,
    read_memory_ratio_cajal_over_mne: mneFull ? Number(((Number(cajalFull['peak_rss_bytes']) - Number(cajalFull['baseline_rss_bytes'])) / (Number(mneFull['peak_rss_bytes']) - Number(mneFull['baseline_rss_bytes']))).toFixed(2)) : null,
  },
  one_channel_of_big_edf: {
    file_bytes: bigBytes,
    written_with: 'createEdfFileWriter (streaming, EDF+C, 23 channels x 256 Hz, 1-s records)',
    write_seconds: Number(writeSeconds.toFixed(2)),
    ...oneChannel,
    peak_rss_mb: mb(Number(oneChannel['peak_rss_bytes'])),
    channel_mb_per_s: Math.round(Number(oneChannel['channel_bytes_in_file']) / 1e6 / (Number(oneChannel['seconds']) - Number(oneChannel['open_seconds']))),
    file_equivalent_mb_per_s: Math.round(bigBytes / 1e6 / Number(oneChannel['seconds'])),
    reads_only_that_channel: Number(oneChannel['bytes_read_samples']) === Number(oneChannel['channel_bytes_in_file']),
    fraction_of_file_read: Number(((Number(oneChannel['bytes_read_open']) + Number(oneChannel['bytes_read_samples'])) / bigBytes).toFixed(4)),
  },
};
console.log(JSON.stringify(report, null, 2));
if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
