/**
 * The real server for the viewer bench: apps/server on a temp data folder serving `dist`, a
 * synthetic (labelled so) 1-hour 19-channel 256 Hz EEG written as EDF+ by @cajal/formats and
 * uploaded through the streaming upload endpoint, and the admin's session cookie.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom, createRecording } from '@cajal/core';
import { writeEdf } from '@cajal/formats';
import { startServer } from '@cajal/server';
import { tenTwentyLabels } from '../test/mock-api.ts';

/** A synthetic EEG: 10 Hz alpha, pink-ish noise and a 50 Hz line per channel, seeded. */
function syntheticHour(durationSeconds: number, sampleRateHz: number) {
  const count = durationSeconds * sampleRateHz;
  const channels = tenTwentyLabels.map((label, c) => {
    const random = createRandom(100 + c);
    const samples = new Float32Array(count);
    let slow = 0;
    for (let i = 0; i < count; i++) {
      slow = 0.98 * slow + random.normal(0, 3);
      samples[i] = 25 * Math.sin((2 * Math.PI * 10 * i) / sampleRateHz + c) + slow + random.normal(0, 4) + 8 * Math.sin((2 * Math.PI * 50 * i) / sampleRateHz);
    }
    return { label, unit: 'uV', sampleRateHz, sampleCount: count, type: 'eeg' as const, samples };
  });
  return createRecording({ channels });
}

/**
 * POST raw bytes with node:http. (Node's fetch, in the same process as the server, had the
 * connection reset on bodies over ~20 MB; node:http and curl upload the same file fine.)
 */
function postBytes(url: string, cookie: string, body: Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { cookie, 'content-type': 'application/octet-stream', 'content-length': body.byteLength } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface BenchServer {
  url: string;
  recordingId: string;
  cookies: { name: string; value: string }[];
  /** Store annotations on the bench recording (straight into storage, as the admin). */
  addAnnotations: (annotations: { onsetSeconds: number; durationSeconds: number; text: string }[]) => Promise<void>;
  stop: () => Promise<void>;
  description: string;
}

export async function startBenchServer(dist: string): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cajal-web-bench-'));
  const server = await startServer({ port: 0, dataDir, webDir: dist, workerThreads: 1 }, { demo: false });
  const admin = server.bootstrap.admin!;
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const headers = { cookie, 'content-type': 'application/json' };
  const project = (await (await fetch(`${server.url}/api/projects`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench', datePolicy: 'keep' }) })).json()) as { project: { id: string } };
  const { bytes } = writeEdf(syntheticHour(3600, 256));
  const upload = await postBytes(`${server.url}/api/projects/${project.project.id}/recordings?fileName=synthetic-1h.edf`, cookie, bytes);
  if (upload.status !== 200) throw new Error(`bench upload failed: ${upload.status} ${upload.text}`);
  const recording = (JSON.parse(upload.text) as { recording: { id: string } }).recording;
  const [name, value] = cookie.split('=') as [string, string];
  const me = ((await (await fetch(`${server.url}/api/me`, { headers: { cookie } })).json()) as { user: { id: string } }).user;
  return {
    url: server.url,
    recordingId: recording.id,
    cookies: [{ name, value }],
    addAnnotations: async (annotations) => {
      for (const a of annotations) await server.services.storage.createAnnotation({ recordingId: recording.id, createdBy: me.id, ...a });
    },
    description: `apps/server (SQLite, loopback) with a synthetic 1-h EDF+ (19 ch x 256 Hz, ${(bytes.length / 2 ** 20).toFixed(0)} MiB) uploaded through the API`,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
