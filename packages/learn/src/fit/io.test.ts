import { describe, expect, it } from 'vitest';
import { formatHbayesdm, parseChoiceEngineeringCsv, parseHbayesdm } from './io.ts';

describe('behaviour file formats', () => {
  it('parses hBayesDM choice files into 0-based sessions and writes them back', () => {
    const text = 'subjID\ttrial\tchoice\toutcome\n1\t1\t1\t1\n1\t2\t2\t-1\n2\t1\t2\t1\n';
    const sessions = parseHbayesdm(text);
    expect(sessions.map((s) => s.subject_id)).toEqual(['1', '2']);
    expect(sessions[0]?.trials[1]).toMatchObject({ trial_index: 1, choice: 1, outcome: -1 });
    expect(formatHbayesdm(sessions)).toBe(text);
  });

  it('maps two-step level2_choice 1-4 to stage-2 state and option', () => {
    const text = 'subjID\ttrial\tlevel1_choice\tlevel2_choice\treward\n1\t1\t1\t4\t1\n1\t2\t2\t1\t0\n';
    const [session] = parseHbayesdm(text);
    expect(session?.task).toBe('two-step');
    expect(session?.trials[0]).toMatchObject({ level1_choice: 0, level2_state: 2, level2_choice: 1, reward: 1 });
    expect(session?.trials[1]).toMatchObject({ level1_choice: 1, level2_state: 1, level2_choice: 0, reward: 0 });
    expect(formatHbayesdm([session!])).toBe(text);
  });

  it('sums gain and loss for the 4-armed bandit and names bad cells by line and byte offset', () => {
    const [session] = parseHbayesdm('subjID\tgain\tloss\tchoice\n102\t1\t-1\t3\n');
    expect(session?.trials[0]).toMatchObject({ choice: 2, outcome: 0 });
    expect(() => parseHbayesdm('subjID\tchoice\toutcome\n1\tx\t1\n', { source: 'f.txt' })).toThrow(/line 2: choice is "x".*f\.txt.*byte 22/);
    expect(() => parseHbayesdm('id\tchoice\n')).toThrow(/no subjID/);
  });

  it('reads a Choice Engineering CSV (choice 0 = bias target, RT in seconds)', () => {
    const csv = 'trial_number, time, schedule_type, schedule_name, is_biased_choice, side_choice, RT, observed_reward, unobserved_reward, biased_reward, unbiased_reward\n0,2019-01-23 12:10:40pm, dynamic, 1_6_vs_2_6, true, LEFT, 5977, 1, 0, 1, 0\n1,2019-01-23 12:10:44pm, dynamic, 1_6_vs_2_6, false, RIGHT, 3927, 0, 1, 1, 0\n';
    const session = parseChoiceEngineeringCsv(csv, { source: 'data/123_45.csv' });
    expect(session.subject_id).toBe('123_45');
    expect(session.trials[0]).toMatchObject({ choice: 0, outcome: 1, rt_seconds: 5.977, side_choice: 'LEFT' });
    expect(session.trials[1]).toMatchObject({ choice: 1, outcome: 0, unobserved_reward: 1 });
  });
});
