import { describe, expect, it } from 'vitest';
import { CajalError } from '@cajal/core';
import { compileNetwork } from './backend.ts';
import { coba, cuba } from './examples.ts';
import type { NetworkDescription } from './network.ts';
import type { Simulation } from './simulation.ts';
import { setThreadSpawner, threadCuts } from './wasm-threads.ts';
import './threads.node.ts';

/**
 * Threaded wasm updates (wasm-threads.ts): splitting a group's neurons and its incoming scatters
 * between threads must not change a single bit, however many threads, whether or not the
 * workers have started yet, and after they are stopped. (The contract suite runs every network
 * with two threads against the interpreter; this file covers three threads and the life cycle.)
 */
const steps = 200;
const fingerprint = (sim: Simulation) => {
  const spikes = sim.monitors.spikes.spikes!;
  return {
    neuron: Array.from(spikes.neuron),
    times: Array.from(spikes.timesSeconds),
    state: ['v', 'ge', 'gi'].filter((v) => sim.instance.groups[0]!.variables.has(v)).map((v) => Array.from(sim.variable('P', v))),
    events: sim.synapticEvents,
  };
};
const networks: Array<[string, NetworkDescription]> = [
  ['COBA', coba({ size: 3000, seed: 21, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] })],
  ['CUBA', cuba({ size: 3000, seed: 22, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] })],
];
const cases = networks.flatMap(([label, n]): Array<[string, NetworkDescription]> => [[`${label}, double`, n], [`${label}, single`, { ...n, precision: 'single' }]]);

describe('threaded wasm updates', () => {
  it.each(cases)('criterion: three threads give the spikes, state and event count of one — %s', async (_, network) => {
    const one = compileNetwork(structuredClone(network), 'wasm');
    one.advance(steps);
    const three = compileNetwork(structuredClone(network), 'wasm', { threads: 3, threadMinimum: 0 });
    await three.ready();
    expect(three.threads).toBe(3);
    three.advance(steps);
    three.close();
    expect(three.threads).toBe(1);
    const expected = fingerprint(one);
    expect(expected.neuron.length).toBeGreaterThan(100); // the network really fired
    expect(fingerprint(three)).toEqual(expected);
  });

  it('criterion: identical before the workers start, while they run and after close()', async () => {
    const network = coba({ size: 3000, seed: 23, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] });
    const one = compileNetwork(structuredClone(network), 'wasm');
    one.advance(3 * steps);
    const two = compileNetwork(structuredClone(network), 'wasm', { threads: 2, threadMinimum: 0 });
    two.advance(steps); // most likely before the worker is up: the caller does it all
    await two.ready();
    two.advance(steps);
    two.close();
    two.advance(steps); // one thread again
    expect(fingerprint(two)).toEqual(fingerprint(one));
  });

  it('criterion: identical when a state monitor records the scattered conductances (the caller then waits for every scatter)', async () => {
    const network = coba({ size: 3000, seed: 24, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }, { kind: 'state', group: 'P', variables: ['ge', 'gi'], indices: [5, 2990], interval: '0.1*ms', name: 'g' }] });
    const one = compileNetwork(structuredClone(network), 'wasm');
    one.advance(steps);
    const two = compileNetwork(structuredClone(network), 'wasm', { threads: 2, threadMinimum: 0 });
    await two.ready();
    two.advance(steps);
    two.close();
    expect(fingerprint(two)).toEqual(fingerprint(one));
    two.monitors.state.g!.channels.forEach((c, k) => expect(Array.from(c.samples)).toEqual(Array.from(one.monitors.state.g!.channels[k]!.samples)));
  });

  it('leaves groups below threadMinimum, and networks compiled with one thread, unthreaded', async () => {
    const sim = compileNetwork(coba({ size: 500, seed: 1 }), 'wasm', { threads: 2 });
    await sim.ready(); // resolves at once: nothing to start
    expect(sim.threads).toBe(1);
    sim.advance(10);
    sim.close();
    expect(sim.stepIndex).toBe(10);
  });

  it('splits neurons into whole loop iterations covering the group', () => {
    expect(threadCuts(64, 8, 2)).toEqual([0, 32, 64]);
    expect(threadCuts(3008, 8, 3)).toEqual([0, 1000, 2008, 3008]);
    const cuts = threadCuts(24, 8, 4);
    expect(cuts[0]).toBe(0);
    expect(cuts[4]).toBe(24);
    for (const c of cuts) expect(c % 8).toBe(0);
  });

  it('rejects a thread count that is not a whole number from 1 to 64, naming the option', () => {
    for (const threads of [0, 1.5, 65, Number.NaN]) {
      try {
        compileNetwork(coba({ size: 100 }), 'wasm', { threads });
        expect.unreachable(`threads ${threads} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(CajalError);
        expect((error as CajalError).code).toBe('INVALID_ARGUMENT');
        expect((error as CajalError).message).toMatch(/threads must be a whole number/);
      }
    }
  });

  it('goes on alone, with the same results, when a worker fails to start', async () => {
    const network = coba({ size: 3000, seed: 25, monitors: [{ kind: 'spikes', group: 'P', name: 'spikes' }] });
    const one = compileNetwork(structuredClone(network), 'wasm');
    one.advance(steps);
    const previous = setThreadSpawner((_source, onFailure) => {
      setTimeout(() => onFailure(new Error('no workers here')), 5);
      return { postMessage: () => undefined, terminate: () => undefined };
    });
    try {
      const sim = compileNetwork(structuredClone(network), 'wasm', { threads: 2, threadMinimum: 0 });
      await sim.ready(); // resolves once the failure is known
      expect(sim.threads).toBe(1);
      sim.advance(steps);
      sim.close();
      expect(fingerprint(sim)).toEqual(fingerprint(one));
    } finally {
      setThreadSpawner(previous);
    }
  });

  it('gives up on a worker that dies mid-run, after threadTimeoutMs, and refuses to go on from the half-done step', async () => {
    // The real worker script, made to end its thread (process.exit in a worker_threads worker)
    // when its fifth task arrives, before doing it.
    const node = setThreadSpawner(undefined);
    setThreadSpawner((source, onFailure) => node!(source.replace('seen = seq;', 'seen = seq; if (seen === 5) process.exit(3);'), onFailure));
    try {
      const sim = compileNetwork(coba({ size: 3000, seed: 26 }), 'wasm', { threads: 2, threadMinimum: 0, threadTimeoutMs: 200 });
      await sim.ready();
      expect(sim.threads).toBe(2);
      const stepped = (): unknown => {
        try {
          sim.advance(steps);
          return 'no error';
        } catch (error) {
          return error;
        }
      };
      const error = stepped();
      expect(error).toBeInstanceOf(CajalError);
      expect((error as CajalError).code).toBe('INTERNAL');
      expect((error as CajalError).message).toMatch(/simulation worker 1 did not finish its part of a step within 200 ms .* compile the network again/);
      expect(stepped()).toBe(error);
      expect(sim.threads).toBe(1);
      sim.close();
    } finally {
      setThreadSpawner(node);
    }
  });

  it('rejects a threadTimeoutMs that is not a positive number', () => {
    for (const threadTimeoutMs of [0, -1, Number.NaN]) expect(() => compileNetwork(coba({ size: 100 }), 'wasm', { threads: 2, threadTimeoutMs })).toThrow(/threadTimeoutMs must be a positive number of milliseconds, not (0|-1|NaN)/);
  });

  it('says how to get threads when no way to start workers is registered', () => {
    const previous = setThreadSpawner(undefined);
    try {
      expect(() => compileNetwork(coba({ size: 100 }), 'wasm', { threads: 2, threadMinimum: 0 })).toThrow(/import "@cajal\/sim\/node"/);
    } finally {
      setThreadSpawner(previous);
    }
  });
});
