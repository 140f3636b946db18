/**
 * One measurement in a fresh process (so peak RSS is this read's alone). Prints one JSON line.
 *   tsx edf-child.ts full FILE          full read to Float32Arrays
 *   tsx edf-child.ts channel FILE LABEL one channel, counting the bytes read
 */
import { openPathSource } from '../src/node.ts';
import type { ByteSource } from '../src/source.ts';
import { openEdf } from '../src/edf/reader.ts';

const [mode, file, label] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: edf-child.ts full|channel FILE [LABEL]');

/** Wrap a source, counting bytes and calls. */
function counted(source: ByteSource): ByteSource & { bytes: number; calls: number } {
  const wrapper = {
    name: source.name,
    size: source.size,
    bytes: 0,
    calls: 0,
    read: async (offset: number, length: number) => {
      const chunk = await source.read(offset, length);
      wrapper.bytes += chunk.byteLength;
      wrapper.calls++;
      return chunk;
    },
    close: async () => source.close?.(),
    ...(source.readInto
      ? {
          readInto: async (offset: number, target: Uint8Array) => {
            const filled = await (source.readInto as NonNullable<ByteSource['readInto']>)(offset, target);
            wrapper.bytes += filled;
            wrapper.calls++;
            return filled;
          },
        }
      : {}),
  };
  return wrapper;
}

const baselineRss = process.memoryUsage().rss;
const source = counted(await openPathSource(file));
const started = performance.now();
const cpuStarted = process.cpuUsage();
const opened = await openEdf(source);
const openSeconds = (performance.now() - started) / 1000;
const openBytes = source.bytes;
const openCalls = source.calls;
let samples = 0;
let checksum = 0;
if (mode === 'full') {
  const recording = await opened.read();
  for (const channel of recording.channels) {
    samples += channel.samples.length;
    checksum += channel.samples[channel.samples.length >> 1] ?? 0;
  }
} else {
  const data = await opened.readChannel(label ?? 0);
  samples = data.length;
  checksum = data[data.length >> 1] ?? 0;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStarted);
const channel = opened.edf.signals.find((s) => s.label === label) ?? opened.edf.signals[0];
await opened.close();
console.log(
  JSON.stringify({
    mode,
    seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    open_seconds: openSeconds,
    samples,
    checksum,
    file_bytes: source.size,
    bytes_read_open: openBytes,
    reads_open: openCalls,
    bytes_read_samples: source.bytes - openBytes,
    reads_samples: source.calls - openCalls,
    channel_bytes_in_file: channel ? channel.samplesPerRecord * opened.edf.bytesPerSample * opened.edf.recordCount : 0,
    annotation_bytes_in_file: opened.edf.signals.filter((s) => s.isAnnotation).reduce((sum, s) => sum + s.samplesPerRecord * opened.edf.bytesPerSample * opened.edf.recordCount, 0),
    header_bytes: opened.edf.headerBytes,
    baseline_rss_bytes: baselineRss,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  }),
);
