import { describe, expect, it } from 'vitest';
import { nameTokens, redactText } from './redact.ts';

describe('redactText', () => {
  it('masks numeric and month-name dates and name tokens, keeping the length', () => {
    const input = 'Seen by Dr Who; patient SMITH john, 03/04/2021, again 12 March 2022 and Mar 5, 2023';
    const { text, replaced } = redactText(input, nameTokens('John_Smith'));
    expect(text.length).toBe(input.length);
    expect(text).not.toMatch(/smith|john|2021|2022|2023/i);
    expect(text).toContain('Seen by Dr Who');
    expect(replaced).toBe(5);
  });

  it('leaves ordinary clinical text alone', () => {
    expect(redactText('spike-wave 3 Hz, eyes closed 1.5 s', ['Smith'])).toEqual({ text: 'spike-wave 3 Hz, eyes closed 1.5 s', replaced: 0 });
  });

  it('takes name tokens from EDF+ fields, skipping the X placeholders', () => {
    expect(nameTokens('X', 'Jane_Doe')).toEqual(['Jane', 'Doe']);
  });
});
