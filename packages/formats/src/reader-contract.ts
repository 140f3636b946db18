/**
 * The reader contract: one vitest suite that every `FormatReader` passes (DESIGN.md convention 4).
 * Test-only (imports vitest); not exported from the package index. Use it from a reader's test:
 *
 * @example
 *   import { describeReaderContract } from '../reader-contract.ts';
 *   describeReaderContract('edf', [{ name: 'test.edf', source: bytes, options: { name: 'test.edf' } }]);
 *
 * What it checks, per case:
 * - the header agrees with `read()`: channel count, labels, units, types, rates, and each
 *   channel's `sampleCount` equals its samples' length;
 * - `readChannel` by index and by label equals the channel of `read()`;
 * - time ranges: `readChannel(c, range)` and `read({ startSeconds, endSeconds })` give exactly
 *   the samples whose times (`channelTimes`, gaps honoured) t satisfy start <= t < end, with a
 *   tolerance of a millionth of a sample at the boundaries (ranges at both edges, empty ranges,
 *   ranges past the end, open-ended ranges);
 * - channel subsets (by index and by label, in the order asked);
 * - `readInto` (page reads into caller buffers) gives the same samples as the time-range rule,
 *   each channel's first sample time and runs agree with `channelTimes` (a run never spans a
 *   gap), targets given as arrays or by a layout callback are filled, short targets refused;
 * - an aborted `AbortSignal` makes reads throw CajalError ABORTED (before and during a read);
 * - progress is non-decreasing and its last report has done === total;
 * - annotations are sorted by onset and lie within the recording's span, and say they came
 *   from a file (`source.kind === 'file'`);
 * - `close()` may be called twice;
 * - the same bytes as an ArrayBuffer, a Blob and a hand-made ByteSource read identically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CajalError, channelTimes, spanSeconds } from '@cajal/core';
import type { ChannelInfo, Progress, Recording, RecordingHeader } from '@cajal/core';
import { openRecording } from './read.ts';
import type { OpenedRecording, ReadOptions, TimeRange } from './read.ts';
import type { RangeRead } from './page-read.ts';
import { toByteSource } from './source.ts';
import type { ByteSource, SourceInput } from './source.ts';

/** One file for the contract: a source (+ options such as `name` and `siblings`), or an opener. */
export interface ReaderContractCase {
  name: string;
  /** The main file; a function is called for each use. */
  source?: SourceInput | (() => SourceInput | Promise<SourceInput>);
  options?: ReadOptions;
  /** Open it another way (then the ArrayBuffer/Blob/ByteSource check is skipped). */
  open?: () => Promise<OpenedRecording>;
  /** False for files whose annotations may lie outside the signal span (annotation-only EDF+). */
  annotationsWithinSpan?: boolean;
}

/** Tolerance at range boundaries, in samples. */
const boundarySamples = 1e-6;

/** Indices of the samples of `channel` with start <= t < end (the contract's time-range rule). */
export function expectedIndices(header: Pick<RecordingHeader, 'segments'>, channel: Pick<ChannelInfo, 'sampleRateHz' | 'sampleCount'>, range: TimeRange): [number, number] {
  const times = channelTimes(header.segments, channel);
  const tolerance = boundarySamples / channel.sampleRateHz;
  const start = range.startSeconds ?? -Infinity;
  const end = range.endSeconds ?? Infinity;
  let first = -1;
  let last = -1;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    if (t >= start - tolerance && t < end - tolerance) {
      if (first < 0) first = i;
      last = i + 1;
    }
  }
  return first < 0 ? [0, 0] : [first, last];
}

/** Index of the first sample that differs (NaN equals NaN), or -1. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && a[i] !== b[i]) return i;
  return -1;
}

function expectSamples(actual: Float32Array, expected: Float32Array, what: string): void {
  const at = firstDifference(actual, expected);
  expect(at, `${what}: ${actual.length} vs ${expected.length} samples, first difference at ${at} (${actual[at]} vs ${expected[at]})`).toBe(-1);
}

async function expectAborted(promise: Promise<unknown>, what: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${what} should throw`).toBeInstanceOf(CajalError);
  expect((error as CajalError).code, what).toBe('ABORTED');
}

/** Ranges to test for a channel of `count` samples at `rate`: edges, middle, empty, past the end. */
function rangesFor(rate: number, count: number, span: number): Array<{ label: string; range: TimeRange }> {
  const third = Math.floor(count / 3);
  const length = Math.max(1, Math.min(37, Math.floor(count / 4)));
  return [
    { label: 'the first sample', range: { startSeconds: 0, endSeconds: 0.5 / rate } },
    { label: 'a middle stretch', range: { startSeconds: (third + 0.5) / rate, endSeconds: (third + length + 0.5) / rate } },
    { label: 'a stretch starting on a sample', range: { startSeconds: third / rate, endSeconds: (third + length) / rate } },
    { label: 'the last samples, end past the end', range: { startSeconds: Math.max(0, count - 1.5) / rate, endSeconds: span + 10 } },
    { label: 'an empty range', range: { startSeconds: (third + 0.5) / rate, endSeconds: (third + 0.5) / rate } },
    { label: 'a range after the end', range: { startSeconds: span + 1, endSeconds: span + 2 } },
    { label: 'only a start', range: { startSeconds: (count - 0.5) / rate } },
    { label: 'only an end', range: { endSeconds: 1.5 / rate } },
  ];
}

async function bytesOf(input: SourceInput): Promise<Uint8Array> {
  const source = toByteSource(input);
  return (await source.read(0, source.size)).slice();
}

/** A ByteSource that hands out copies in small pieces, as a network or file source might. */
function chunkedSource(bytes: Uint8Array, name: string, siblings: Record<string, Uint8Array>): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.slice(offset, Math.min(bytes.byteLength, offset + length)),
    sibling: async (fileName) => {
      const base = fileName.split(/[\\/]/).pop() ?? fileName;
      const key = Object.keys(siblings).find((k) => k.toLowerCase() === base.toLowerCase());
      return key === undefined ? undefined : chunkedSource(siblings[key] as Uint8Array, key, {});
    },
  };
}

/**
 * Register the contract suite for `readerName` over `cases`.
 *
 * @example
 *   describeReaderContract('brainvision', [{ name: 'test.vhdr', source: vhdr, options: { name: 'test.vhdr', siblings } }]);
 */
export function describeReaderContract(readerName: string, cases: ReaderContractCase[]): void {
  describe(`reader contract: ${readerName}`, () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const testCase of cases) describeCase(testCase);
  });
}

function describeCase(testCase: ReaderContractCase): void {
  const open = async (extra: ReadOptions = {}): Promise<OpenedRecording> => {
    if (testCase.open) return testCase.open();
    const input = typeof testCase.source === 'function' ? await testCase.source() : testCase.source;
    if (input === undefined) throw new Error(`case ${testCase.name} has neither source nor open`);
    return openRecording(input, { ...testCase.options, ...extra });
  };

  describe(testCase.name, () => {
    let opened: OpenedRecording;
    let full: Recording;
    beforeAll(async () => {
      opened = await open();
      full = await opened.read();
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('header agrees with read(): channels, labels, units, rates, sample counts = samples length', () => {
      const header = opened.header;
      expect(full.channels.length).toBe(header.channels.length);
      header.channels.forEach((info, i) => {
        const channel = full.channels[i] as Recording['channels'][number];
        expect(channel.label).toBe(info.label);
        expect(channel.unit).toBe(info.unit);
        expect(channel.type).toBe(info.type);
        expect(channel.sampleRateHz).toBe(info.sampleRateHz);
        expect(channel.sampleCount).toBe(info.sampleCount);
        expect(channel.samples).toBeInstanceOf(Float32Array);
        expect(channel.samples.length).toBe(info.sampleCount);
      });
    });

    it('readChannel by index and by label equals the channel of read()', async () => {
      const channels = opened.header.channels;
      const picks = [...new Set([0, Math.floor(channels.length / 2), channels.length - 1])].filter((i) => i >= 0);
      for (const index of picks) {
        const expected = (full.channels[index] as Recording['channels'][number]).samples;
        expectSamples(await opened.readChannel(index), expected, `channel ${index} by index`);
        const label = (channels[index] as ChannelInfo).label;
        if (channels.findIndex((c) => c.label === label) === index) {
          expectSamples(await opened.readChannel(label), expected, `channel "${label}" by label`);
        }
      }
    });

    it('time-range reads give exactly the samples with start <= t < end (edges, empty, past the end)', async () => {
      const header = opened.header;
      const first = header.channels[0];
      if (!first) return;
      const span = spanSeconds(header);
      for (const { label, range } of rangesFor(first.sampleRateHz, first.sampleCount, span)) {
        const part = await opened.read({ ...range });
        expect(part.channels.length, label).toBe(header.channels.length);
        for (let index = 0; index < header.channels.length; index++) {
          const info = header.channels[index] as ChannelInfo;
          const [from, to] = expectedIndices(header, info, range);
          const expected = (full.channels[index] as Recording['channels'][number]).samples.subarray(from, to);
          const channel = part.channels[index] as Recording['channels'][number];
          expectSamples(channel.samples, expected, `read() ${label}, channel ${index}`);
          expect(channel.sampleCount, label).toBe(channel.samples.length);
          if (index === 0 || index === header.channels.length - 1) {
            expectSamples(await opened.readChannel(index, range), expected, `readChannel ${label}, channel ${index}`);
          }
        }
      }
    });

    it('readInto: samples, first-sample times and runs agree with read() and channelTimes', async () => {
      const header = opened.header;
      const first = header.channels[0];
      if (!first) return;
      const span = spanSeconds(header);
      const all = header.channels.map((_, i) => i);
      for (const { label, range } of rangesFor(first.sampleRateHz, first.sampleCount, span)) {
        const request = { channels: all, startSeconds: range.startSeconds ?? 0, endSeconds: range.endSeconds ?? span + 1 };
        const page = await opened.readInto(request);
        expect(page.channels.length, label).toBe(all.length);
        for (const index of all) {
          const info = header.channels[index] as ChannelInfo;
          const channel = page.channels[index] as RangeRead['channels'][number];
          const [from, to] = expectedIndices(header, info, request);
          expectSamples(channel.samples, (full.channels[index] as Recording['channels'][number]).samples.subarray(from, to), `readInto ${label}, channel ${index}`);
          expect(channel.count, label).toBe(to - from);
          expect(channel.sampleRateHz, label).toBe(info.sampleRateHz);
          const times = channelTimes(header.segments, info);
          if (to === from) {
            expect(channel.firstSampleSeconds, label).toBeNull();
            expect(channel.runs, label).toEqual([]);
            continue;
          }
          expect(channel.firstSampleSeconds as number, label).toBeCloseTo(times[from] as number, 9);
          let next = 0;
          for (const run of channel.runs) {
            expect(run.offset, label).toBe(next);
            const head = times[from + run.offset] as number;
            const tail = times[from + run.offset + run.count - 1] as number;
            expect(run.startSeconds, label).toBeCloseTo(head, 9);
            expect(tail - head, `${label}: a run of channel ${index} spans a gap`).toBeCloseTo((run.count - 1) / info.sampleRateHz, 6);
            next += run.count;
          }
          expect(next, label).toBe(channel.count);
        }
        for (const segment of page.segments) {
          expect(segment.onsetSeconds, label).toBeGreaterThanOrEqual(request.startSeconds);
          expect(segment.onsetSeconds + segment.durationSeconds, label).toBeLessThanOrEqual(request.endSeconds + 1e-9);
        }
      }
    });

    it('readInto fills given targets (arrays or from the layout) and refuses short ones', async () => {
      const header = opened.header;
      const span = spanSeconds(header);
      const channels = header.channels.length > 1 ? [header.channels.length - 1, 0] : [0];
      const request = { channels, startSeconds: span / 4, endSeconds: span / 2 };
      const plain = await opened.readInto(request);
      const counts = plain.channels.map((c) => c.count);
      const big = counts.map((n) => new Float32Array(n + 3).fill(7));
      const intoArrays = await opened.readInto({ ...request, target: big });
      intoArrays.channels.forEach((c, i) => {
        expect(c.samples.buffer).toBe((big[i] as Float32Array).buffer);
        expectSamples(c.samples, (plain.channels[i] as RangeRead['channels'][number]).samples, `target array ${i}`);
      });
      const block = new Float32Array(counts.reduce((a, b) => a + b, 0));
      const intoBlock = await opened.readInto({
        ...request,
        target: (layout) => {
          expect(layout.channels.map((c) => c.count)).toEqual(counts);
          let at = 0;
          return layout.channels.map((c) => block.subarray(at, (at += c.count)));
        },
      });
      intoBlock.channels.forEach((c, i) => expectSamples(c.samples, (plain.channels[i] as RangeRead['channels'][number]).samples, `layout target ${i}`));
      if ((counts[0] ?? 0) > 0) {
        const short = counts.map((n) => new Float32Array(Math.max(0, n - 1)));
        const error = await opened.readInto({ ...request, target: short }).then(() => undefined, (e: unknown) => e);
        expect((error as CajalError).code).toBe('INVALID_ARGUMENT');
      }
      const missing = await opened.readInto({ channels: [header.channels.length], startSeconds: 0, endSeconds: 1 }).then(() => undefined, (e: unknown) => e);
      expect((missing as CajalError).code).toBe('NOT_FOUND');
    });

    it('reads channel subsets by index and by label, in the order asked', async () => {
      const channels = opened.header.channels;
      const indices = channels.length > 1 ? [channels.length - 1, 0] : [0];
      const byIndex = await opened.read({ channels: indices });
      expect(byIndex.channels.map((c) => c.label)).toEqual(indices.map((i) => (channels[i] as ChannelInfo).label));
      indices.forEach((i, k) => expectSamples((byIndex.channels[k] as Recording['channels'][number]).samples, (full.channels[i] as Recording['channels'][number]).samples, `subset channel ${i}`));
      const label = (channels[0] as ChannelInfo).label;
      const byLabel = await opened.read({ channels: [label] });
      expect(byLabel.channels.length).toBe(1);
      expectSamples((byLabel.channels[0] as Recording['channels'][number]).samples, (full.channels[0] as Recording['channels'][number]).samples, `subset "${label}"`);
    });

    it('an aborted signal makes reads throw CajalError ABORTED, before and during the read', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectAborted(opened.read({ signal: controller.signal }), 'read() with an aborted signal');
      await expectAborted(opened.readChannel(0, {}, { signal: controller.signal }), 'readChannel() with an aborted signal');
      const during = new AbortController();
      let first: Progress | undefined;
      const outcome = await opened
        .read({
          signal: during.signal,
          onProgress: (p) => {
            first ??= { ...p };
            during.abort();
          },
        })
        .then(
          () => 'finished',
          (e: unknown) => e,
        );
      // A read that reported unfinished progress and was then aborted must not finish.
      if (first && first.done < first.total) {
        expect(outcome).toBeInstanceOf(CajalError);
        expect((outcome as CajalError).code).toBe('ABORTED');
      }
    });

    it('reports progress that never goes back and ends at done === total', async () => {
      const reports: Progress[] = [];
      await opened.read({ onProgress: (p) => reports.push({ ...p }) });
      expect(reports.length).toBeGreaterThan(0);
      for (let i = 1; i < reports.length; i++) expect((reports[i] as Progress).done).toBeGreaterThanOrEqual((reports[i - 1] as Progress).done);
      for (const report of reports) expect(report.done).toBeLessThanOrEqual(report.total);
      const last = reports[reports.length - 1] as Progress;
      expect(last.done).toBe(last.total);
    });

    it('annotations are sorted by onset, finite, and within the recording span', () => {
      const { annotations } = opened.header;
      const span = spanSeconds(opened.header);
      for (let i = 0; i < annotations.length; i++) {
        const a = annotations[i] as RecordingHeader['annotations'][number];
        expect(Number.isFinite(a.onsetSeconds) && Number.isFinite(a.durationSeconds)).toBe(true);
        expect(a.durationSeconds).toBeGreaterThanOrEqual(0);
        expect(a.source?.kind, a.text).toBe('file');
        if (i > 0) expect(a.onsetSeconds).toBeGreaterThanOrEqual((annotations[i - 1] as typeof a).onsetSeconds);
        if (testCase.annotationsWithinSpan !== false) {
          expect(a.onsetSeconds, a.text).toBeGreaterThanOrEqual(0);
          expect(a.onsetSeconds + a.durationSeconds, a.text).toBeLessThanOrEqual(span + 1e-6);
        }
      }
    });

    it('close() can be called twice', async () => {
      const another = await open();
      await another.close();
      await expect(another.close()).resolves.toBeUndefined();
    });

    it.skipIf(testCase.open !== undefined)('reads identically from an ArrayBuffer, a Blob and a ByteSource', async () => {
      const input = typeof testCase.source === 'function' ? await testCase.source() : (testCase.source as SourceInput);
      const bytes = await bytesOf(input);
      const siblings: Record<string, Uint8Array> = {};
      for (const [name, sibling] of Object.entries(testCase.options?.siblings ?? {})) siblings[name] = await bytesOf(sibling);
      const name = testCase.options?.name ?? toByteSource(input).name;
      const base: ReadOptions = { ...testCase.options, name };
      const variants: Array<[string, SourceInput, ReadOptions]> = [
        ['ArrayBuffer', bytes.slice().buffer, { ...base, siblings: Object.fromEntries(Object.entries(siblings).map(([k, v]) => [k, v.slice().buffer])) }],
        ['Blob', new Blob([bytes.slice()]), { ...base, siblings: Object.fromEntries(Object.entries(siblings).map(([k, v]) => [k, new Blob([v.slice()])])) }],
        ['ByteSource', chunkedSource(bytes, name, siblings), { ...base, siblings: {} }],
      ];
      for (const [kind, source, options] of variants) {
        const other = await openRecording(source, options);
        try {
          const recording = await other.read();
          expect(recording.channels.map((c) => [c.label, c.unit, c.sampleRateHz, c.sampleCount]), kind).toEqual(full.channels.map((c) => [c.label, c.unit, c.sampleRateHz, c.sampleCount]));
          expect(recording.annotations, kind).toEqual(full.annotations);
          expect(recording.startTime, kind).toEqual(full.startTime);
          recording.channels.forEach((c, i) => expectSamples(c.samples, (full.channels[i] as Recording['channels'][number]).samples, `${kind} channel ${i}`));
        } finally {
          await other.close();
        }
      }
    });
  });
}
