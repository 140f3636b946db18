import { describe, expect, it } from 'vitest';
import { welch } from '@cajal/signal';
import { compileNetwork } from './backend.ts';
import { coba, izhikevichNetwork } from './examples.ts';
import { populationRate, spectralPeak } from './statistics.ts';

// Monitors hand out core types, so @cajal/signal applies to simulator output unchanged.
// (Only this test imports signal; the sim library itself does not.)
describe('monitors produce core SpikeTrains / Recording', () => {
  it('criterion: spikes, subsampled state and population rate agree with each other and with the step count', async () => {
    const net = coba({ size: 800, seed: 3 });
    net.monitors = [
      { kind: 'spikes', group: 'P', name: 'spikes' },
      { kind: 'rate', group: 'P', name: 'rate' },
      { kind: 'state', group: 'P', variables: ['v', 'ge'], indices: [0, 5], interval: '0.1*ms', name: 'dense' },
      { kind: 'state', group: 'P', variables: ['v'], indices: [5], interval: '1*ms', name: 'sparse' },
    ];
    const sim = compileNetwork(net);
    await sim.run(0.2);
    const { spikes, rate, state } = sim.monitors;
    const trains = spikes.spikes;
    expect(trains).toBeDefined();
    if (!trains) return;
    expect(trains.neuronCount).toBe(800);
    expect(trains.durationSeconds).toBeCloseTo(0.2, 9);
    expect(trains.neuron.length).toBe(trains.timesSeconds.length);
    expect(trains.neuron.length).toBeGreaterThan(0);
    for (let k = 1; k < trains.timesSeconds.length; k++) expect(trains.timesSeconds[k]).toBeGreaterThanOrEqual(trains.timesSeconds[k - 1] as number);
    // population rate: 2000 samples at 10 kHz in Hz; its integral equals the spike count
    const r = rate.rate?.channels[0];
    expect(r?.unit).toBe('Hz');
    expect(r?.sampleRateHz).toBeCloseTo(10000, 6);
    expect(r?.sampleCount).toBe(2000);
    let total = 0;
    for (const x of r?.samples ?? []) total += x * 800 * 1e-4;
    expect(Math.round(total)).toBe(trains.neuron.length);
    // state: dense is every step, sparse every 10th step of the same variable (mV)
    const dense = state.dense;
    const sparse = state.sparse;
    expect(dense?.channels.map((c) => c.label)).toEqual(['v[0]', 'v[5]', 'ge[0]', 'ge[5]']);
    expect(dense?.channels[0]?.unit).toBe('mV');
    expect(sparse?.channels[0]?.sampleRateHz).toBeCloseTo(1000, 6);
    expect(sparse?.channels[0]?.sampleCount).toBe(200);
    const d = dense?.channels[1]?.samples ?? new Float32Array();
    const s = sparse?.channels[0]?.samples ?? new Float32Array();
    for (let k = 0; k < 200; k++) expect(s[k]).toBe(d[k * 10]);
    expect(d[0]).toBeLessThan(-40);
    expect(d[0]).toBeGreaterThan(-90);
  });

  it('criterion: Welch PSD (@cajal/signal) of the Izhikevich population rate peaks where the sim statistics find it, within 1.5 Welch bins (1 Hz)', async () => {
    const sim = compileNetwork(izhikevichNetwork({ seed: 2003 }));
    await sim.run(2);
    const rate = sim.monitors.rate.rate?.channels[0];
    expect(rate).toBeDefined();
    if (!rate) return;
    // rate recording at 2 kHz -> 1 ms bins like the rhythm test
    const binned = populationRate(sim.monitors.spikes.spikes as NonNullable<typeof sim.monitors.spikes.spikes>, 1e-3);
    const own = spectralPeak(binned, 1000, 5, 60);
    const psd = welch(rate.samples, rate.sampleRateHz, { nperseg: 2048, noverlap: 1024 });
    let best = 0;
    for (let k = 0; k < psd.frequencies.length; k++) {
      const f = psd.frequencies[k] as number;
      if (f >= 5 && f <= 60 && (psd.power[k] as number) > (psd.power[best] as number)) best = k;
      if (f < 5) best = k + 1;
    }
    const binHz = rate.sampleRateHz / 2048;
    const peakHz = psd.frequencies[best] as number;
    expect(peakHz).toBeGreaterThanOrEqual(5);
    expect(peakHz).toBeLessThanOrEqual(60);
    expect(Math.abs(peakHz - own.frequency_hz)).toBeLessThanOrEqual(Math.max(binHz, 1) * 1.5);
    // the peak stands out of the 150-250 Hz floor
    let floor = 0;
    let n = 0;
    for (let k = 0; k < psd.frequencies.length; k++) {
      const f = psd.frequencies[k] as number;
      if (f >= 150 && f <= 250) {
        floor += psd.power[k] as number;
        n++;
      }
    }
    expect((psd.power[best] as number) / (floor / n)).toBeGreaterThan(5);
  });
});
