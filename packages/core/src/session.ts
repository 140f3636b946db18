/**
 * A session of trials from one participant (a person or an agent) on one task. Fields that
 * reach exported data are snake_case, like jsPsych and hBayesDM.
 *
 * @example
 *   const session: Session = { subject_id: 's01', task: 'bandit-2', trials: [{ trial_index: 0, choice: 1, outcome: 1 }] };
 */
export interface Trial {
  trial_index: number;
  /** The option chosen (0-based), when the task has choices. */
  choice?: number;
  /** Reward or feedback received. */
  outcome?: number;
  /** Reaction time in seconds. */
  rt_seconds?: number;
  correct?: boolean;
  [field: string]: unknown;
}

export interface Session {
  subject_id: string;
  task: string;
  /** "human", "agent" or "simulated". */
  participant_kind?: 'human' | 'agent' | 'simulated';
  trials: Trial[];
  [field: string]: unknown;
}
