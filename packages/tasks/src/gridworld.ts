import { CajalError, createRandom, type Environment, type Random, type ResetOptions, type ResetResult, type Space, type StepResult } from '@cajal/core';

/**
 * A gridworld from a text map: '#' wall, 'S' start, 'G' goal (+1, ends the episode), '.'
 * free. Actions 0 up, 1 right, 2 down, 3 left; with probability `slip` the move goes in a
 * random direction. Each step costs `stepReward` (default -0.01); episodes are truncated at
 * `maxSteps` (default 200). Observation: the cell index row * width + column.
 *
 * @example
 *   const env = new GridworldEnv({ map: ['S..', '.#.', '..G'] });
 */
export interface GridworldOptions {
  map: string[];
  slip?: number;
  stepReward?: number;
  goalReward?: number;
  maxSteps?: number;
}

/** The default 9 x 10 maze. */
export const defaultGridMap = [
  'S....#....',
  '.##..#.##.',
  '.#.......#',
  '.#.####...',
  '...#..#.#.',
  '##.#..#.#.',
  '..........',
  '.####.###.',
  '......#..G',
];

export class GridworldEnv implements Environment<number, number> {
  readonly id = 'gridworld';
  readonly observationSpace: Space;
  readonly actionSpace: Space = { kind: 'discrete', n: 4, labels: ['up', 'right', 'down', 'left'] };
  readonly width: number;
  readonly height: number;
  private readonly cells: string[];
  private readonly start: number;
  private readonly options: GridworldOptions;
  private random: Random = createRandom(0);
  private position = 0;
  private steps = 0;

  constructor(options: GridworldOptions = { map: defaultGridMap }) {
    this.options = options;
    this.height = options.map.length;
    this.width = options.map[0]?.length ?? 0;
    this.cells = [];
    options.map.forEach((row, r) => {
      if (row.length !== this.width) throw new CajalError('INVALID_ARGUMENT', `map row ${r} has ${row.length} cells, expected ${this.width}`, { field: 'map' });
      for (const c of row) this.cells.push(c);
    });
    this.start = this.cells.indexOf('S');
    if (this.start < 0 || !this.cells.includes('G')) throw new CajalError('INVALID_ARGUMENT', 'map needs an S and a G', { field: 'map' });
    this.observationSpace = { kind: 'discrete', n: this.cells.length };
  }

  reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) this.random = createRandom(options.seed);
    this.position = this.start;
    this.steps = 0;
    return { observation: this.position, info: {} };
  }

  step(action: number): StepResult<number> {
    if (!(Number.isInteger(action) && action >= 0 && action < 4)) throw new CajalError('INVALID_ARGUMENT', `action ${action} must be 0..3`, { field: 'action' });
    const direction = this.random.uniform() < (this.options.slip ?? 0) ? this.random.integer(4) : action;
    let row = Math.floor(this.position / this.width);
    let column = this.position % this.width;
    if (direction === 0) row--;
    else if (direction === 1) column++;
    else if (direction === 2) row++;
    else column--;
    if (row >= 0 && row < this.height && column >= 0 && column < this.width && this.cells[row * this.width + column] !== '#') {
      this.position = row * this.width + column;
    }
    this.steps++;
    const atGoal = this.cells[this.position] === 'G';
    const reward = atGoal ? (this.options.goalReward ?? 1) : (this.options.stepReward ?? -0.01);
    return { observation: this.position, reward, terminated: atGoal, truncated: !atGoal && this.steps >= (this.options.maxSteps ?? 200), info: { steps: this.steps } };
  }
}
