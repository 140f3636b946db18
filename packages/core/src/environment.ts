/**
 * The interface between tasks and agents, with Gymnasium's semantics: `reset` (optionally
 * seeded) returns the first observation and an info object; `step` returns the next
 * observation, the reward, whether the episode ended inside the task (`terminated`) or was
 * cut off from outside (`truncated`), and info. Cognitive tasks people play implement it too,
 * so any agent plays any task.
 */
export type Space =
  | { kind: 'discrete'; n: number; labels?: string[] }
  | { kind: 'box'; shape: number[]; low: number; high: number; labels?: string[] };

export type Info = Record<string, unknown>;

export interface ResetResult<Observation> {
  observation: Observation;
  info: Info;
}

export interface StepResult<Observation> {
  observation: Observation;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export interface ResetOptions {
  /** Seeds the environment's random generator; the same seed gives the same episode. */
  seed?: number;
  options?: Record<string, unknown>;
}

export interface Environment<Observation = Float32Array, Action = number> {
  /** A stable identifier, e.g. "two-step" or "n-back". */
  readonly id: string;
  readonly observationSpace: Space;
  readonly actionSpace: Space;
  reset(options?: ResetOptions): ResetResult<Observation>;
  step(action: Action): StepResult<Observation>;
  close?(): void;
}

/** Number of elements in a space's observations (1 for discrete, product of shape for box). */
export function spaceSize(space: Space): number {
  return space.kind === 'discrete' ? 1 : space.shape.reduce((a, b) => a * b, 1);
}

/** True when `action` is a valid member of `space`. */
export function containsAction(space: Space, action: unknown): boolean {
  if (space.kind === 'discrete') return Number.isInteger(action) && (action as number) >= 0 && (action as number) < space.n;
  if (!(action instanceof Float32Array) && !Array.isArray(action)) return false;
  const values = action as ArrayLike<number>;
  if (values.length !== spaceSize(space)) return false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= space.low && v <= space.high)) return false;
  }
  return true;
}
