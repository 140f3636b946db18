import { CajalError, createRandom, type Environment, type Random, type ResetOptions } from '@cajal/core';

/**
 * A slot-plus-decay working-memory model: a buffer of `capacity` slots (default 4, Cowan
 * 2001); each new item takes a free slot or, when the buffer is full, replaces a random
 * one; an item's trace strength decays as exp(-age / decaySteps). Recognition of a probe
 * compares its familiarity (strength of the matching stored item, 0 if absent, plus Gaussian
 * noise `noiseStd`) with a criterion (default 0.5). The same model runs n-back (is the
 * current item the one n steps back?) and delayed match-to-sample (was the probe among the
 * samples?), and it plays DelayedMatchToSampleEnv as an agent.
 *
 * @example
 *   const model = new WorkingMemoryModel({ capacity: 4 }, 1);
 *   nBackAccuracy({ capacity: 4 }, 2, { trials: 200, seed: 1 }).accuracy;
 */
export interface WorkingMemoryOptions {
  capacity?: number;
  decaySteps?: number;
  noiseStd?: number;
  criterion?: number;
}

interface Slot {
  item: number;
  /** Position in the presented sequence (for n-back order information). */
  position: number;
  age: number;
}

export class WorkingMemoryModel {
  readonly capacity: number;
  readonly decaySteps: number;
  readonly noiseStd: number;
  readonly criterion: number;
  private slots: Slot[] = [];
  private readonly random: Random;
  private position = 0;

  constructor(options: WorkingMemoryOptions = {}, seed = 0) {
    this.capacity = options.capacity ?? 4;
    this.decaySteps = options.decaySteps ?? 20;
    this.noiseStd = options.noiseStd ?? 0.15;
    this.criterion = options.criterion ?? 0.5;
    if (!(Number.isInteger(this.capacity) && this.capacity >= 1)) throw new CajalError('INVALID_ARGUMENT', `capacity ${this.capacity} must be an integer >= 1`, { field: 'capacity' });
    this.random = createRandom(seed);
  }

  /** Forget everything. */
  clear(): void {
    this.slots = [];
    this.position = 0;
  }

  /** Let `steps` steps pass (traces decay). */
  wait(steps = 1): void {
    for (const slot of this.slots) slot.age += steps;
  }

  /** Encode an item (one step passes). */
  encode(item: number): void {
    this.wait(1);
    const slot = { item, position: this.position++, age: 0 };
    if (this.slots.length < this.capacity) this.slots.push(slot);
    else this.slots[this.random.integer(this.capacity)] = slot;
  }

  private strength(slot: Slot | undefined): number {
    return slot ? Math.exp(-slot.age / this.decaySteps) : 0;
  }

  /** Noisy familiarity of `item` (strongest matching trace). */
  familiarity(item: number): number {
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.item === item && (!best || slot.age < best.age)) best = slot;
    return this.strength(best) + this.random.normal(0, this.noiseStd);
  }

  /** Recognition: was `item` studied? */
  recognise(item: number): boolean {
    return this.familiarity(item) > this.criterion;
  }

  /** n-back judgement: is `item` the item presented `n` positions before the next one? Uses the stored position tag. */
  matchesBack(item: number, n: number): boolean {
    const wanted = this.position - n;
    const slot = this.slots.find((s) => s.position === wanted);
    const f = slot && slot.item === item ? this.strength(slot) : 0;
    return f + this.random.normal(0, this.noiseStd) > this.criterion;
  }
}

export interface TaskAccuracy {
  accuracy: number;
  hit_rate: number;
  false_alarm_rate: number;
  trials: number;
}

function score(responses: Array<[boolean, boolean]>): TaskAccuracy {
  let hits = 0;
  let targets = 0;
  let falseAlarms = 0;
  let lures = 0;
  let correct = 0;
  for (const [isTarget, said] of responses) {
    if (isTarget === said) correct++;
    if (isTarget) {
      targets++;
      if (said) hits++;
    } else {
      lures++;
      if (said) falseAlarms++;
    }
  }
  return { accuracy: correct / responses.length, hit_rate: hits / Math.max(1, targets), false_alarm_rate: falseAlarms / Math.max(1, lures), trials: responses.length };
}

/** n-back: a stream of `trials` items from `alphabet` letters, a third of them targets; scores target/non-target responses. */
export function nBackAccuracy(model: WorkingMemoryOptions, n: number, options: { trials?: number; alphabet?: number; seed?: number } = {}): TaskAccuracy {
  if (!(Number.isInteger(n) && n >= 1)) throw new CajalError('INVALID_ARGUMENT', `n ${n} must be an integer >= 1`, { field: 'n' });
  const random = createRandom(options.seed ?? 0);
  const memory = new WorkingMemoryModel(model, (options.seed ?? 0) + 1);
  const alphabet = options.alphabet ?? 8;
  const items: number[] = [];
  const responses: Array<[boolean, boolean]> = [];
  for (let t = 0; t < (options.trials ?? 300) + n; t++) {
    let item = random.integer(alphabet);
    if (t >= n && random.uniform() < 1 / 3) item = items[t - n] as number;
    else if (t >= n && item === items[t - n]) item = (item + 1 + random.integer(alphabet - 1)) % alphabet;
    if (t >= n) responses.push([item === items[t - n], memory.matchesBack(item, n)]);
    items.push(item);
    memory.encode(item);
  }
  return score(responses);
}

/**
 * Delayed match-to-sample with `load` sample items (distinct, from `alphabet`), a delay of
 * `delaySteps`, then one probe that was a sample on half the trials. Also returns Cowan's K =
 * load x (hit rate - false-alarm rate).
 */
export function delayedMatchAccuracy(model: WorkingMemoryOptions, load: number, options: { trials?: number; alphabet?: number; delaySteps?: number; seed?: number } = {}): TaskAccuracy & { cowan_k: number } {
  const alphabet = options.alphabet ?? 26;
  if (!(load >= 1 && load < alphabet)) throw new CajalError('INVALID_ARGUMENT', `load ${load} must be in 1..${alphabet - 1}`, { field: 'load' });
  const random = createRandom(options.seed ?? 0);
  const memory = new WorkingMemoryModel(model, (options.seed ?? 0) + 1);
  const responses: Array<[boolean, boolean]> = [];
  for (let t = 0; t < (options.trials ?? 300); t++) {
    memory.clear();
    const pool = random.shuffle(Array.from({ length: alphabet }, (_, i) => i));
    const samples = pool.slice(0, load);
    for (const item of samples) memory.encode(item);
    memory.wait(options.delaySteps ?? 3);
    const isMatch = random.uniform() < 0.5;
    const probe = isMatch ? (samples[random.integer(load)] as number) : (pool[load] as number);
    responses.push([isMatch, memory.recognise(probe)]);
  }
  const result = score(responses);
  return { ...result, cowan_k: load * (result.hit_rate - result.false_alarm_rate) };
}

/**
 * The working-memory model as an agent for DelayedMatchToSampleEnv: it encodes the stimulus
 * shown in the sample period, lets traces decay each step, and in the decision period answers
 * match (1) or non-match (2) from its recognition of the test stimulus; otherwise it fixates.
 */
export function playDelayedMatch(env: Environment<Float32Array, number>, model: WorkingMemoryOptions, episodes: number, seed = 0): { accuracy: number; episodes: number } {
  const memory = new WorkingMemoryModel(model, seed + 7);
  let correct = 0;
  for (let e = 0; e < episodes; e++) {
    memory.clear();
    const reset: ResetOptions = e === 0 ? { seed } : {};
    let { observation, info } = env.reset(reset);
    let lastTest = -1;
    let encoded = false;
    for (;;) {
      const period = info['period'];
      const stimulus = argmaxFrom(observation, 1);
      if (period === 'sample' && !encoded) {
        memory.encode(stimulus);
        encoded = true;
      } else memory.wait(1);
      if (period === 'test') lastTest = stimulus;
      const action = period === 'decision' ? (memory.recognise(lastTest) ? 1 : 2) : 0;
      const step = env.step(action);
      if (step.terminated || step.truncated) {
        if (step.info['correct'] === true) correct++;
        break;
      }
      observation = step.observation;
      info = { period: step.info['next_period'] };
    }
  }
  return { accuracy: correct / episodes, episodes };
}

function argmaxFrom(values: Float32Array, start: number): number {
  let best = start;
  for (let i = start + 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best - start;
}
