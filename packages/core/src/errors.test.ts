import { describe, expect, it } from 'vitest';
import { CovenantError, coreError } from './errors.js';

describe('CovenantError', () => {
  it('prints code, sentence and hint in its message, and keeps the sentence and the hint apart', () => {
    const error = coreError('COV_CORE_JSON_SYNTAX', 'pacts/a-b.json is not JSON at line 3', { line: 3 });
    expect(error).toBeInstanceOf(CovenantError);
    expect(error.message).toBe(
      `COV_CORE_JSON_SYNTAX: pacts/a-b.json is not JSON at line 3\n  → ${error.hint}`,
    );
    expect(error.detail).toBe('pacts/a-b.json is not JSON at line 3');
    expect(error.hint).toMatch(/^Fix the JSON at the line and column shown/);
    expect(error.details).toEqual({ line: 3 });
  });

  it('keeps a sentence that itself spans lines whole in detail', () => {
    const error = new CovenantError('COV_X', 'first line\nsecond line', 'do this');
    expect(error.detail).toBe('first line\nsecond line');
    expect(error.message).toBe('COV_X: first line\nsecond line\n  → do this');
  });
});
