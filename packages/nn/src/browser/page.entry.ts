/**
 * Demo page for training in a Web Worker: posts the config in `window.cajalConfig` to
 * worker.js, draws the loss per epoch on a canvas as it arrives, and exposes
 * `window.cajalTraining` ({ losses, validation, done, error, result }) for tests.
 */
import type { TrainConfig } from '../config.ts';
import { trainInWorker } from '../worker.ts';

/** What the page exposes on `window.cajalTraining` (read by the browser test). */
export interface PageState {
  losses: number[];
  validation: number[];
  done: boolean;
  error: string | null;
  accuracy: number | null;
  weightBytes: number;
  mainThreadTicks: number;
  gemm: string;
}

const state: PageState = { losses: [], validation: [], done: false, error: null, accuracy: null, weightBytes: 0, mainThreadTicks: 0, gemm: '' };
(window as unknown as { cajalTraining: PageState }).cajalTraining = state;

const canvas = document.getElementById('loss') as HTMLCanvasElement;
const status = document.getElementById('status') as HTMLElement;

function draw(): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const { width, height } = canvas;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  const all = [...state.losses, ...state.validation];
  if (all.length === 0) return;
  const top = Math.max(...all);
  const bottom = Math.min(0, ...all);
  const epochs = Math.max(2, state.losses.length);
  const line = (values: number[], color: string): void => {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    values.forEach((v, i) => {
      const x = 10 + (i / (epochs - 1)) * (width - 20);
      const y = 10 + (1 - (v - bottom) / (top - bottom || 1)) * (height - 20);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  };
  line(state.losses, '#1f77b4');
  line(state.validation, '#d62728');
}

// The main thread stays free while the worker trains: count timer ticks.
const ticker = setInterval(() => state.mainThreadTicks++, 20);
const config = (window as unknown as { cajalConfig: TrainConfig }).cajalConfig;
const worker = new Worker('./worker.js');
trainInWorker(worker, config, {
  onEpoch: (record) => {
    state.losses.push(record.train_loss);
    if (record.validation_loss !== undefined) state.validation.push(record.validation_loss);
    status.textContent = `epoch ${record.epoch}: loss ${record.train_loss.toFixed(4)}`;
    draw();
  },
})
  .then((result) => {
    state.accuracy = result.final.accuracy ?? null;
    state.weightBytes = result.weights.length;
    state.gemm = result.gemm;
    status.textContent += ` — done, ${result.final.on} accuracy ${((result.final.accuracy ?? 0) * 100).toFixed(1)}%`;
  })
  .catch((error: unknown) => {
    state.error = error instanceof Error ? error.message : String(error);
  })
  .finally(() => {
    clearInterval(ticker);
    state.done = true;
    worker.terminate();
  });
