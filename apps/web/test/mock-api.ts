/**
 * An in-memory implementation of the API contract (apps/server/API.md) for the recordings,
 * signal, annotation and spectrogram routes, used to test and time the viewer on its own.
 * The signal is synthetic and labelled so: 10 Hz alpha plus noise per channel (seeded).
 */
import { createRandom } from '@cajal/core';
import type { BrowserContext, Route } from 'playwright-core';
import { encodeSignalPage } from '@cajal/formats';
import type { TimedAnnotation } from '../src/lib/annotation-index.ts';

export interface MockRecordingOptions {
  durationSeconds: number;
  sampleRateHz: number;
  labels: string[];
  annotationCount: number;
}

/** Standard 10-20 labels in the EDF "EEG X-REF" style, with the old T3..T6 names. */
export const tenTwentyLabels = ['Fp1', 'Fp2', 'F3', 'F4', 'C3', 'C4', 'P3', 'P4', 'O1', 'O2', 'F7', 'F8', 'T3', 'T4', 'T5', 'T6', 'Fz', 'Cz', 'Pz'].map((l) => `EEG ${l}-REF`);

export class MockApi {
  annotations: TimedAnnotation[] = [];
  signalRequests = 0;
  private nextId = 1;

  constructor(readonly options: MockRecordingOptions) {
    const random = createRandom(3);
    for (let i = 0; i < options.annotationCount; i++) {
      this.annotations.push({ id: `m${this.nextId++}`, onsetSeconds: random.uniform() * options.durationSeconds, durationSeconds: random.uniform() < 0.5 ? 0 : random.uniform() * 5, text: `event ${i}` });
    }
  }

  private signal(start: number, duration: number): ArrayBuffer {
    const { sampleRateHz, labels, durationSeconds } = this.options;
    const from = Math.max(0, Math.round(start * sampleRateHz));
    const to = Math.min(Math.round(durationSeconds * sampleRateHz), Math.round((start + duration) * sampleRateHz));
    const channels = labels.map((label, c) => {
      const random = createRandom(1000 + c + from);
      const samples = new Float32Array(Math.max(0, to - from));
      for (let i = 0; i < samples.length; i++) {
        const t = (from + i) / sampleRateHz;
        samples[i] = 30 * Math.sin(2 * Math.PI * 10 * t + c) + 5 * random.normal() + 20 * Math.sin(2 * Math.PI * 50 * t);
      }
      const first = from / sampleRateHz;
      return { label, unit: 'uV', sampleRateHz, firstSampleSeconds: samples.length > 0 ? first : null, runs: samples.length > 0 ? [{ startSeconds: first, offset: 0, count: samples.length }] : [], samples };
    });
    const bytes = encodeSignalPage({ startSeconds: from / sampleRateHz, durationSeconds: (to - from) / sampleRateHz, segments: to > from ? [{ onsetSeconds: from / sampleRateHz, durationSeconds: (to - from) / sampleRateHz }] : [], channels });
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  /** Answer one API request; undefined when the route is not mocked. */
  handle(method: string, url: URL, body: string | null): { status: number; contentType: string; body: string | Buffer } | undefined {
    const json = (status: number, value: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(value) });
    const { durationSeconds, labels, sampleRateHz } = this.options;
    const path = url.pathname;
    if (path === '/api/me') return json(200, { user: { id: 'u1', email: 'mock@example.org', role: 'admin' } });
    if (path === '/api/recordings/r1' && method === 'GET') {
      const recording = { id: 'r1', projectId: 'p1', subjectId: null, name: 'synthetic alpha (mock)', format: 'edf', channelCount: labels.length, durationSeconds, startTime: null, sizeBytes: 0, sha256: '', createdAt: '', simulated: true };
      return json(200, { recording, header: { channels: labels.map((label) => ({ label, unit: 'uV', sampleRateHz, sampleCount: durationSeconds * sampleRateHz, bad: false })), durationSeconds } });
    }
    if (path === '/api/recordings/r1/signal') {
      this.signalRequests++;
      return { status: 200, contentType: 'application/octet-stream', body: Buffer.from(this.signal(Number(url.searchParams.get('start')), Number(url.searchParams.get('duration')))) };
    }
    if (path === '/api/recordings/r1/spectrogram') {
      const times = Array.from({ length: 120 }, (_, i) => ((i + 0.5) * durationSeconds) / 120);
      const frequencies = Array.from({ length: 30 }, (_, i) => i + 1);
      return json(200, { timesSeconds: times, frequenciesHz: frequencies, powerDb: times.map((_, t) => frequencies.map((f) => (Math.abs(f - 10) < 2 ? 20 : 0) + (t > 60 && t < 70 ? 15 : 0) - f / 3)) });
    }
    if (path === '/api/recordings/r1/annotations' && method === 'GET') return json(200, { annotations: this.annotations });
    if (path === '/api/recordings/r1/annotations' && method === 'POST') {
      const a = { ...(JSON.parse(body ?? '{}') as Omit<TimedAnnotation, 'id'>), id: `m${this.nextId++}` };
      this.annotations.push(a);
      return json(200, { annotation: a });
    }
    const annotationMatch = /^\/api\/annotations\/([^/]+)$/.exec(path);
    if (annotationMatch) {
      const index = this.annotations.findIndex((a) => a.id === annotationMatch[1]);
      if (index < 0) return json(404, { error: { code: 'NOT_FOUND', message: `no annotation ${annotationMatch[1]}` } });
      if (method === 'DELETE') {
        this.annotations.splice(index, 1);
        return { status: 204, contentType: 'text/plain', body: '' };
      }
      this.annotations[index] = { ...this.annotations[index]!, ...(JSON.parse(body ?? '{}') as Partial<TimedAnnotation>) };
      return json(200, { annotation: this.annotations[index] });
    }
    if (path === '/api/recordings/r1/channels' && method === 'PATCH') return json(200, { channels: [] });
    return undefined;
  }

  /** Route `${origin}/api/**` of `context` to this mock. */
  async install(context: BrowserContext, origin: string): Promise<void> {
    await context.route(`${origin}/api/**`, async (route: Route) => {
      const request = route.request();
      const answer = this.handle(request.method(), new URL(request.url()), request.postData());
      if (!answer) return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'not mocked' } }) });
      return route.fulfill({ status: answer.status, contentType: answer.contentType, body: answer.body });
    });
  }
}
