import { CajalError } from './errors.ts';
import { createRandom } from './random.ts';
import type { Random } from './random.ts';
import { createRecording } from './recording.ts';
import type { Annotation, Channel, Recording } from './recording.ts';

/**
 * A SIMULATED scalp EEG for demos and tests: 19 channels of the 10-20 system (referential, µV),
 * pink background noise, a posterior alpha rhythm that waxes and wanes, occasional frontal eye
 * blinks, and one seizure-like episode of generalised rhythmic ~3 Hz spike-and-wave (slowing
 * from 3.5 to 2.5 Hz, frontally dominant, alpha suppressed). It is not a recording of a person
 * and says so in its subject and recording fields and in the episode's annotation text.
 */
export interface DemoEegOptions {
  /** Seed of the generator; equal seeds give identical recordings. Default 1. */
  seed?: number;
  /** Length in seconds. Default 60. */
  durationSeconds?: number;
  /** Sample rate in Hz. Default 256. */
  sampleRateHz?: number;
  /** Onset of the episode in seconds. Default 40% of the duration. */
  seizureOnsetSeconds?: number;
  /** Length of the episode in seconds. Default min(12, 25% of the duration). */
  seizureDurationSeconds?: number;
}

/** The 19 labels of the 10-20 system, in the usual order. */
export const tenTwentyLabels = ['Fp1', 'Fp2', 'F7', 'F3', 'Fz', 'F4', 'F8', 'T3', 'C3', 'Cz', 'C4', 'T4', 'T5', 'P3', 'Pz', 'P4', 'T6', 'O1', 'O2'] as const;

/** Text of the episode's annotation. */
export const demoSeizureText = 'SIMULATED seizure-like episode';

/** Alpha weight by region (occipital strongest), spike-wave weight (frontal/central strongest). */
function weights(label: string): { alpha: number; spikeWave: number; blink: number } {
  if (label.startsWith('Fp')) return { alpha: 0.05, spikeWave: 0.9, blink: 1 };
  if (label.startsWith('F')) return { alpha: 0.12, spikeWave: 1, blink: 0.25 };
  if (label.startsWith('C')) return { alpha: 0.3, spikeWave: 0.85, blink: 0.05 };
  if (label === 'T3' || label === 'T4') return { alpha: 0.15, spikeWave: 0.55, blink: 0.05 };
  if (label.startsWith('P') || label === 'T5' || label === 'T6') return { alpha: 0.6, spikeWave: 0.6, blink: 0 };
  return { alpha: 1, spikeWave: 0.45, blink: 0 }; // O1, O2
}

/** Pink (1/f) noise by Paul Kellet's filter of white noise, unit-ish variance. */
function pinkNoise(random: Random, count: number): Float64Array {
  const out = new Float64Array(count);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < count; i++) {
    const white = random.normal();
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    out[i] = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362) * 0.2;
    b6 = white * 0.115926;
  }
  return out;
}

/** One spike-and-wave cycle at phase 0..1: a sharp negative spike, then a slow positive wave. */
function spikeWave(phase: number, periodSeconds: number): number {
  const t = phase * periodSeconds;
  const spike = -Math.exp(-(((t - 0.03) / 0.012) ** 2));
  const wave = 0.55 * Math.exp(-(((t - 0.16) / 0.07) ** 2));
  const dip = -0.15 * Math.exp(-(((t - 0.07) / 0.02) ** 2));
  return spike + wave + dip;
}

/**
 * Make the SIMULATED demo EEG.
 *
 * @example
 *   const recording = makeDemoEeg({ seed: 7, durationSeconds: 120 });
 *   recording.annotations; // [{ onsetSeconds: 48, durationSeconds: 12, text: 'SIMULATED seizure-like episode' }]
 */
export function makeDemoEeg(options: DemoEegOptions = {}): Recording {
  const seed = options.seed ?? 1;
  const duration = options.durationSeconds ?? 60;
  const rate = options.sampleRateHz ?? 256;
  if (!(duration > 0) || !(rate > 0)) throw new CajalError('INVALID_ARGUMENT', `duration ${duration} s and rate ${rate} Hz must be positive`);
  const count = Math.round(duration * rate);
  if (count > 2 ** 27) throw new CajalError('INVALID_ARGUMENT', `${count} samples per channel is too many for a demo`);
  const onset = options.seizureOnsetSeconds ?? duration * 0.4;
  const length = options.seizureDurationSeconds ?? Math.min(12, duration * 0.25);
  const random = createRandom(seed);

  // Shared signals: alpha with a drifting frequency and a slow envelope, episode, blinks.
  const alpha = new Float64Array(count);
  const episode = new Float64Array(count);
  const blinks = new Float64Array(count);
  let alphaPhase = random.uniform() * 2 * Math.PI;
  let spikePhase = 0;
  const envelopePhase = random.uniform() * 2 * Math.PI;
  const ramp = Math.min(1, length / 4);
  for (let i = 0; i < count; i++) {
    const t = i / rate;
    const frequency = 10 + 0.4 * Math.sin((2 * Math.PI * t) / 23 + envelopePhase);
    alphaPhase += (2 * Math.PI * frequency) / rate;
    const inEpisode = t >= onset && t < onset + length;
    const strength = inEpisode ? Math.min(1, (t - onset) / ramp, (onset + length - t) / ramp) : 0;
    const envelope = 0.65 + 0.35 * Math.sin((2 * Math.PI * t) / 7 + envelopePhase);
    alpha[i] = envelope * (1 - 0.9 * strength) * Math.sin(alphaPhase);
    if (inEpisode) {
      const progress = (t - onset) / length;
      const period = 1 / (3.5 - progress);
      spikePhase += 1 / (period * rate);
      if (spikePhase >= 1) spikePhase -= 1;
      episode[i] = strength * spikeWave(spikePhase, period);
    } else {
      spikePhase = 0;
    }
  }
  for (let t = 1 + random.uniform() * 4; t < duration - 1; t += 4 + random.exponential(1 / 6)) {
    if (t > onset - 1 && t < onset + length + 1) continue;
    const center = Math.round(t * rate);
    for (let k = -rate / 2; k < rate / 2; k++) {
      const i = center + k;
      if (i >= 0 && i < count) blinks[i] = (blinks[i] as number) + Math.exp(-(((k / rate) / 0.09) ** 2));
    }
  }

  const common = pinkNoise(random, count);
  const channels: Channel[] = tenTwentyLabels.map((label) => {
    const w = weights(label);
    const own = pinkNoise(random, count);
    const alphaGain = 30 * w.alpha * (0.9 + 0.2 * random.uniform());
    const samples = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      samples[i] = 12 * (own[i] as number) + 6 * (common[i] as number) + alphaGain * (alpha[i] as number) + 160 * w.spikeWave * (episode[i] as number) + 120 * w.blink * (blinks[i] as number);
    }
    return { label, unit: 'uV', sampleRateHz: rate, sampleCount: count, type: 'eeg', samples, prefiltering: 'none (simulated)', transducer: 'SIMULATED' };
  });
  const annotations: Annotation[] = [];
  if (length > 0 && onset < duration) annotations.push({ onsetSeconds: onset, durationSeconds: Math.min(length, duration - onset), text: demoSeizureText });
  return createRecording({
    format: 'sim',
    startTime: new Date(Date.UTC(2020, 0, 1, 9, 0, 0)),
    channels,
    annotations,
    subject: { id: 'SIMULATED', name: 'SIMULATED demo subject (not a person)', sex: 'unknown', raw: 'SIMULATED: generated by Cajal makeDemoEeg, not recorded from a person' },
    recordingInfo: { id: `SIMULATED-seed-${seed}`, equipment: 'Cajal makeDemoEeg (SIMULATED)', technician: 'none', raw: `SIMULATED EEG, seed ${seed}` },
    source: 'makeDemoEeg',
  });
}
