import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';

/**
 * Trial-level Pavlovian designs with compound cues: each episode is one trial; the
 * observation is a 0/1 vector of which cues are present; any action (pass 0) ends the trial
 * with the trial's reward. Trials follow phases in order; within a phase the trial types are
 * shuffled in blocks. Builders give the classic designs: blocking (Kamin 1969),
 * overshadowing and conditioned inhibition.
 *
 * @example
 *   const env = new CueCompoundEnv(blockingDesign());
 *   const { observation } = env.reset({ seed: 1 });  // e.g. Float32Array [1, 0] for cue A
 */
export interface CompoundTrial {
  /** Cue indices present on the trial. */
  cues: number[];
  /** Reward (US intensity, lambda) delivered. */
  reward: number;
  /** Name, e.g. "A+" or "AX-". */
  name: string;
}

export interface CompoundPhase {
  name: string;
  trials: CompoundTrial[];
  /** How many times the whole list of trial types repeats (shuffled each time). */
  repetitions: number;
}

export interface CompoundDesign {
  cueNames: string[];
  phases: CompoundPhase[];
}

export class CueCompoundEnv implements Environment<Float32Array, number> {
  readonly id = 'cue-compound';
  readonly observationSpace: Space;
  readonly actionSpace: Space = { kind: 'discrete', n: 1 };
  readonly design: CompoundDesign;
  private random: Random = createRandom(0);
  private schedule: Array<{ phase: string; trial: CompoundTrial }> = [];
  private position = -1;

  constructor(design: CompoundDesign) {
    if (design.cueNames.length === 0) throw new CajalError('INVALID_ARGUMENT', 'a design needs at least one cue', { field: 'cueNames' });
    for (const phase of design.phases) {
      for (const trial of phase.trials) {
        for (const cue of trial.cues) {
          if (!(cue >= 0 && cue < design.cueNames.length)) {
            throw new CajalError('INVALID_ARGUMENT', `trial "${trial.name}" names cue ${cue}; design has ${design.cueNames.length}`, { field: 'cues' });
          }
        }
      }
    }
    this.design = design;
    this.observationSpace = { kind: 'box', shape: [design.cueNames.length], low: 0, high: 1, labels: design.cueNames };
    this.buildSchedule();
  }

  /** Total trials over all phases. */
  get trialCount(): number {
    return this.schedule.length;
  }

  private buildSchedule(): void {
    this.schedule = [];
    for (const phase of this.design.phases) {
      for (let r = 0; r < phase.repetitions; r++) {
        const block = this.random.shuffle([...phase.trials]);
        for (const trial of block) this.schedule.push({ phase: phase.name, trial });
      }
    }
    this.position = -1;
  }

  /** Next trial; a seed rebuilds the shuffled schedule from the start. Past the end, the last phase repeats. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) {
      this.random = createRandom(options.seed);
      this.buildSchedule();
    }
    this.position = Math.min(this.position + 1, this.schedule.length - 1);
    const current = this.schedule[this.position] as { phase: string; trial: CompoundTrial };
    const observation = new Float32Array(this.design.cueNames.length);
    for (const cue of current.trial.cues) observation[cue] = 1;
    return { observation, info: { phase: current.phase, trial: current.trial.name, trial_index: this.position } };
  }

  step(_action: number): StepResult<Float32Array> {
    const current = this.schedule[this.position];
    if (!current) throw new CajalError('INVALID_ARGUMENT', 'step() before reset()', { field: 'reset' });
    return {
      observation: new Float32Array(this.design.cueNames.length),
      reward: current.trial.reward,
      terminated: true,
      truncated: false,
      info: { phase: current.phase, trial: current.trial.name },
    };
  }
}

/** Blocking: A+ (phase 1), then AB+ (phase 2), control CD+ (phase 2 only). Cues A, B, C, D. */
export function blockingDesign(phaseOneRepetitions = 50, phaseTwoRepetitions = 50): CompoundDesign {
  return {
    cueNames: ['A', 'B', 'C', 'D'],
    phases: [
      { name: 'pretraining', repetitions: phaseOneRepetitions, trials: [{ name: 'A+', cues: [0], reward: 1 }] },
      { name: 'compound', repetitions: phaseTwoRepetitions, trials: [{ name: 'AB+', cues: [0, 1], reward: 1 }, { name: 'CD+', cues: [2, 3], reward: 1 }] },
    ],
  };
}

/** Overshadowing: a salient cue A and a weak cue B always together, AB+; control B alone, C+. Cues A, B, C. */
export function overshadowingDesign(repetitions = 100): CompoundDesign {
  return {
    cueNames: ['A', 'B', 'C'],
    phases: [{ name: 'training', repetitions, trials: [{ name: 'AB+', cues: [0, 1], reward: 1 }, { name: 'C+', cues: [2], reward: 1 }] }],
  };
}

/** Conditioned inhibition: A+ interleaved with AX- (X predicts the reward's absence). Cues A, X. */
export function conditionedInhibitionDesign(repetitions = 100): CompoundDesign {
  return {
    cueNames: ['A', 'X'],
    phases: [{ name: 'training', repetitions, trials: [{ name: 'A+', cues: [0], reward: 1 }, { name: 'AX-', cues: [0, 1], reward: 0 }] }],
  };
}
