/**
 * Bench: the signal-page endpoint under load. A real server (its own process, SQLite,
 * loopback) holds a
 * synthetic 64-channel x 256 Hz x 20 min EDF+ uploaded through the API; autocannon sends
 * GET /api/recordings/:id/signal?start=S&duration=10 (all 64 channels, 10 s: 163,840
 * samples, 655 KB per page) from 50 concurrent connections, start times drawn with a fixed
 * seed across the recording. Prints JSON: requests/s and latency percentiles under load, and
 * the latency of 40 pages fetched one at a time by one client (no queueing).
 *
 *   npm run bench -w @cajal/server            (defaults: 50 connections, 20 s)
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench -w @cajal/server
 *   BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -w @cajal/server
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
// @ts-expect-error autocannon's internal module has no types
import PipelinedRequestsQueue from 'autocannon/lib/pipelinedRequestsQueue.js';
import { createRandom, createRecording } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { decodeSignalPage, writeEdf } from '@cajal/formats';

const channelCount = 64;
const rate = 256;
const minutes = 20;
const pageSeconds = 10;
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);

// autocannon 9 decodes every response body to a UTF-8 string and concatenates it
// (PipelinedRequestsQueue.addBody), only for expectBody/verifyBody, which this bench does not use.
// On a 660 KB binary page that decoding was ~44% of the load generator's CPU (profiled), on the
// same 2 cores as the server: the bench measured mostly itself. It is switched off here (bytes
// are still counted); BENCH_AUTOCANNON_BODIES=1 keeps autocannon's stock behaviour.
const stockBodies = process.env['BENCH_AUTOCANNON_BODIES'] === '1';
if (!stockBodies) (PipelinedRequestsQueue as { prototype: { addBody(data: unknown): void } }).prototype.addBody = () => {};

function synthetic(): Uint8Array {
  const random = createRandom(7);
  const count = rate * 60 * minutes;
  const channels: Channel[] = [];
  for (let c = 0; c < channelCount; c++) {
    const samples = new Float32Array(count);
    const phase = random.uniform() * 2 * Math.PI;
    for (let i = 0; i < count; i++) samples[i] = 20 * Math.sin(2 * Math.PI * 10 * (i / rate) + phase) + random.normal(0, 5);
    channels.push({ label: `E${c + 1}`, unit: 'uV', sampleRateHz: rate, sampleCount: count, type: 'eeg', samples, physicalMin: -500, physicalMax: 500 });
  }
  return writeEdf(createRecording({ channels, startTime: new Date(Date.UTC(2020, 0, 1)) })).bytes;
}

// Made first: a long pause between requests would let the server's keep-alive timeout close
// the connection the client then reuses (EPIPE).
const bytes = synthetic();
// BENCH_SERVER_FLAGS: extra node flags for the server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
const serverFlags = (process.env['BENCH_SERVER_FLAGS'] ?? '').split(' ').filter((f) => f.length > 0);
const child = spawn(process.execPath, [...serverFlags, '--import', 'tsx', join(import.meta.dirname, 'serve-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
const server = await new Promise<{ url: string; admin: { email: string; password: string } }>((resolve, reject) => {
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const line = output.split('\n').find((l) => l.startsWith('{'));
    if (line && output.includes('\n')) resolve(JSON.parse(line) as { url: string; admin: { email: string; password: string } });
  });
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
child.once('exit', (code, signal) => process.stderr.write(`bench server exited: ${code} ${signal}\n`));
try {
  const admin = server.admin;
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const json = { cookie, 'content-type': 'application/json' };
  const project = (await (await fetch(`${server.url}/api/projects`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'bench', datePolicy: 'keep' }) })).json()) as { project: { id: string } };
  if (!project.project) throw new Error(`project not created: ${JSON.stringify(project)}`);
  const uploadStart = performance.now();
  const upload = await fetch(`${server.url}/api/projects/${project.project.id}/recordings?fileName=bench.edf`, { method: 'POST', headers: { cookie, 'content-type': 'application/octet-stream' }, body: bytes as Uint8Array<ArrayBuffer> });
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.status} ${await upload.text()}`);
  const uploadMs = performance.now() - uploadStart;
  const recordingId = ((await upload.json()) as { recording: { id: string } }).recording.id;
  const path = (start: number): string => `/api/recordings/${recordingId}/signal?start=${start}&duration=${pageSeconds}`;
  const check = decodeSignalPage(new Uint8Array(await (await fetch(`${server.url}${path(0)}`, { headers: { cookie } })).arrayBuffer()));
  const checkSamples = check.channels.reduce((sum, c) => sum + c.samples.length, 0);
  if (check.channels.length !== channelCount || checkSamples !== channelCount * rate * pageSeconds) throw new Error(`unexpected page: ${check.channels.length} channels, ${checkSamples} samples`);
  const first = await fetch(`${server.url}${path(0)}`, { headers: { cookie } });
  if (first.headers.get('x-content-type-options') !== 'nosniff') throw new Error('page response lacks x-content-type-options');
  const pageBytes = (await first.arrayBuffer()).byteLength;

  // One client, one request at a time: the cost of a page without queueing.
  const sequential: number[] = [];
  const seqStarts = createRandom(3);
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await (await fetch(`${server.url}${path(seqStarts.integer(minutes * 60 - pageSeconds))}`, { headers: { cookie } })).arrayBuffer();
    sequential.push(performance.now() - t0);
  }
  sequential.sort((a, b) => a - b);

  const starts = createRandom(11);
  const lastStart = minutes * 60 - pageSeconds;
  const result = await autocannon({
    url: server.url, connections, duration: seconds, headers: { cookie },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path(starts.integer(lastStart)) }) }],
  });
  const report = {
    bench: 'GET /api/recordings/:id/signal (64 ch x 10 s, float32 page)',
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length}-core ${process.arch}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`,
    recording: `${channelCount} ch x ${rate} Hz x ${minutes} min EDF+ (${(bytes.length / 2 ** 20).toFixed(1)} MiB), upload+validate+store ${uploadMs.toFixed(0)} ms`,
    pageBytes,
    sequentialMs: { p50: Math.round(sequential[20]! * 10) / 10, p90: Math.round(sequential[36]! * 10) / 10 },
    connections,
    seconds,
    autocannonBodies: stockBodies ? 'decoded (stock)' : 'not decoded',
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    throughputMiBps: Math.round((result.throughput.average / 2 ** 20) * 10) / 10,
    ok2xx: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  child.kill('SIGTERM');
}
