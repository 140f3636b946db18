import { createWebSweepPool, gridPoints, poissonLif, runSweep } from '@cajal/sim';

// Page script for the browser test: a 2 x 2 sweep on two Web Workers; the table lands on window.
const points = gridPoints([{ name: 'Input.rate', from: 8, to: 20, steps: 2 }, { name: 'we', from: 0.5, to: 0.8, steps: 2 }]);
const runner = createWebSweepPool(() => new Worker('sweep-worker.js'), 2);
runSweep(poissonLif({ size: 20, inputs: 100, seed: 3 }), points, { durationSeconds: 0.2, runner }).then(
  async (table) => {
    await runner.close();
    (window as unknown as { sweepResult: unknown }).sweepResult = table;
  },
  (error: unknown) => {
    (window as unknown as { sweepResult: unknown }).sweepResult = { error: String(error) };
  },
);
