import { CajalError, type Session, type Trial } from '@cajal/core';

/**
 * Reading and writing trial data for model fitting.
 * - hBayesDM's text files (tab- or whitespace-separated with a header): choice tasks with
 *   columns subjID, choice (1-based), outcome (or gain + loss for the 4-armed bandit); the
 *   two-step task with subjID, level1_choice (1/2), level2_choice (1-4: 1-2 in stage-2 state
 *   1, 3-4 in state 2), reward. Choices become 0-based; other columns are kept on each trial.
 * - Choice Engineering Competition CSVs (one file per person; columns trial_number, time,
 *   schedule_type, schedule_name, is_biased_choice, side_choice, RT (ms), observed_reward,
 *   unobserved_reward, biased_reward, unbiased_reward): choice 0 = the bias-target
 *   alternative, 1 = the other; outcome = observed_reward; rt_seconds = RT / 1000.
 *
 * @example
 *   const sessions = parseHbayesdm(text, { source: 'bandit2arm_exampleData.txt' });
 */
export interface ParseOptions {
  /** File name, for messages and the task name. */
  source?: string;
  /** Task name for the sessions (default: "two-step" or "bandit"). */
  task?: string;
}

function splitLine(line: string): string[] {
  return line.includes('\t') ? line.split('\t').map((c) => c.trim()) : line.trim().split(/\s+/);
}

function numberAt(cells: string[], column: number, name: string, lineNumber: number, byteOffset: number, source?: string): number {
  const raw = cells[column];
  const value = raw === undefined || raw === '' || raw === 'NA' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) {
    throw new CajalError('PARSE_ERROR', `line ${lineNumber}: ${name} is "${raw ?? ''}", not a number`, { ...(source ? { file: source } : {}), field: name, byteOffset, line: lineNumber });
  }
  return value;
}

/** Parse an hBayesDM-format text file into one Session per subjID (in order of appearance). */
export function parseHbayesdm(text: string, options: ParseOptions = {}): Session[] {
  const lines = text.split(/\r?\n/);
  const header = splitLine(lines[0] ?? '').map((h) => h.replace(/^"|"$/g, ''));
  const column = (name: string): number => header.indexOf(name);
  const file = options.source ? { file: options.source } : {};
  if (column('subjID') < 0) throw new CajalError('PARSE_ERROR', `header has no subjID column (found: ${header.join(', ')})`, { ...file, field: 'subjID', byteOffset: 0 });
  const twoStep = column('level1_choice') >= 0;
  if (twoStep && (column('level2_choice') < 0 || column('reward') < 0)) {
    throw new CajalError('PARSE_ERROR', 'two-step file needs level1_choice, level2_choice and reward columns', { ...file, field: 'level2_choice', byteOffset: 0 });
  }
  if (!twoStep && column('choice') < 0) throw new CajalError('PARSE_ERROR', `header has no choice column (found: ${header.join(', ')})`, { ...file, field: 'choice', byteOffset: 0 });
  const hasOutcome = column('outcome') >= 0;
  const hasGainLoss = column('gain') >= 0 && column('loss') >= 0;
  if (!twoStep && !hasOutcome && !hasGainLoss) throw new CajalError('PARSE_ERROR', 'header has neither outcome nor gain and loss', { ...file, field: 'outcome', byteOffset: 0 });
  const task = options.task ?? (twoStep ? 'two-step' : 'bandit');
  const sessions = new Map<string, Session>();
  let byteOffset = (lines[0]?.length ?? 0) + 1;
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l] as string;
    const lineOffset = byteOffset;
    byteOffset += line.length + 1;
    if (line.trim() === '') continue;
    const cells = splitLine(line).map((c) => c.replace(/^"|"$/g, ''));
    const subject = cells[column('subjID')] ?? '';
    let session = sessions.get(subject);
    if (!session) {
      session = { subject_id: subject, task, participant_kind: 'human', trials: [], source: options.source };
      sessions.set(subject, session);
    }
    const trial: Trial = { trial_index: session.trials.length };
    header.forEach((name, i) => {
      if (name !== 'subjID' && cells[i] !== undefined) {
        const n = Number(cells[i]);
        trial[name] = cells[i] !== '' && Number.isFinite(n) ? n : cells[i];
      }
    });
    trial.trial_index = session.trials.length;
    if (twoStep) {
      const c1 = numberAt(cells, column('level1_choice'), 'level1_choice', l + 1, lineOffset, options.source);
      const c2 = numberAt(cells, column('level2_choice'), 'level2_choice', l + 1, lineOffset, options.source);
      if (![1, 2].includes(c1) || ![1, 2, 3, 4].includes(c2)) {
        throw new CajalError('PARSE_ERROR', `line ${l + 1}: level1_choice ${c1} / level2_choice ${c2} out of range (1-2 / 1-4)`, { ...file, field: 'level1_choice', byteOffset: lineOffset });
      }
      trial.level1_choice = c1 - 1;
      trial.level2_state = c2 <= 2 ? 1 : 2;
      trial.level2_choice = (c2 - 1) % 2;
      trial.reward = numberAt(cells, column('reward'), 'reward', l + 1, lineOffset, options.source);
      trial.choice = c1 - 1;
      trial.outcome = trial.reward as number;
    } else {
      const choice = numberAt(cells, column('choice'), 'choice', l + 1, lineOffset, options.source);
      if (!Number.isInteger(choice) || choice < 1) throw new CajalError('PARSE_ERROR', `line ${l + 1}: choice ${choice} must be a 1-based integer`, { ...file, field: 'choice', byteOffset: lineOffset });
      trial.choice = choice - 1;
      trial.outcome = hasOutcome
        ? numberAt(cells, column('outcome'), 'outcome', l + 1, lineOffset, options.source)
        : numberAt(cells, column('gain'), 'gain', l + 1, lineOffset, options.source) + numberAt(cells, column('loss'), 'loss', l + 1, lineOffset, options.source);
    }
    session.trials.push(trial);
  }
  return [...sessions.values()];
}

/**
 * Write sessions in hBayesDM's columns: "subjID trial choice outcome" (1-based choices) or,
 * for two-step sessions, "subjID trial level1_choice level2_choice reward". Tab-separated.
 */
export function formatHbayesdm(sessions: Session[]): string {
  const twoStep = sessions.some((s) => s.trials.some((t) => t['level1_choice'] !== undefined && t['level2_state'] !== undefined));
  const rows = [twoStep ? 'subjID\ttrial\tlevel1_choice\tlevel2_choice\treward' : 'subjID\ttrial\tchoice\toutcome'];
  for (const session of sessions) {
    session.trials.forEach((t, i) => {
      if (twoStep) {
        const level2 = (Number(t['level2_state']) - 1) * 2 + Number(t['level2_choice']) + 1;
        rows.push(`${session.subject_id}\t${i + 1}\t${Number(t['level1_choice']) + 1}\t${level2}\t${Number(t['reward'] ?? t.outcome)}`);
      } else {
        rows.push(`${session.subject_id}\t${i + 1}\t${Number(t.choice) + 1}\t${Number(t.outcome)}`);
      }
    });
  }
  return rows.join('\n') + '\n';
}

/** Parse one Choice Engineering Competition CSV (one person) into a Session. */
export function parseChoiceEngineeringCsv(text: string, options: ParseOptions & { subjectId?: string } = {}): Session {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const file = options.source ? { file: options.source } : {};
  const need = ['trial_number', 'is_biased_choice', 'observed_reward'];
  for (const name of need) {
    if (!header.includes(name)) throw new CajalError('PARSE_ERROR', `header has no ${name} column (found: ${header.join(', ')})`, { ...file, field: name, byteOffset: 0 });
  }
  const column = (name: string): number => header.indexOf(name);
  const subjectId = options.subjectId ?? (options.source ?? 'subject').replace(/^.*[\\/]/, '').replace(/\.csv$/i, '');
  const session: Session = { subject_id: subjectId, task: options.task ?? 'choice-engineering-bandit', participant_kind: 'human', trials: [], source: options.source };
  let byteOffset = (lines[0]?.length ?? 0) + 1;
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l] as string;
    const lineOffset = byteOffset;
    byteOffset += line.length + 1;
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const biased = (cells[column('is_biased_choice')] ?? '').toLowerCase();
    if (biased !== 'true' && biased !== 'false') {
      throw new CajalError('PARSE_ERROR', `line ${l + 1}: is_biased_choice is "${biased}", not true/false`, { ...file, field: 'is_biased_choice', byteOffset: lineOffset });
    }
    const trial: Trial = {
      trial_index: numberAt(cells, column('trial_number'), 'trial_number', l + 1, lineOffset, options.source),
      choice: biased === 'true' ? 0 : 1,
      outcome: numberAt(cells, column('observed_reward'), 'observed_reward', l + 1, lineOffset, options.source),
    };
    if (column('RT') >= 0) trial.rt_seconds = numberAt(cells, column('RT'), 'RT', l + 1, lineOffset, options.source) / 1000;
    for (const extra of ['side_choice', 'schedule_type', 'schedule_name', 'unobserved_reward', 'biased_reward', 'unbiased_reward']) {
      const i = column(extra);
      if (i >= 0 && cells[i] !== undefined) {
        const n = Number(cells[i]);
        trial[extra] = cells[i] !== '' && Number.isFinite(n) ? n : cells[i];
      }
    }
    session.trials.push(trial);
  }
  return session;
}
