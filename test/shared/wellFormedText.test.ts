import { describe, expect, it } from 'vitest';
import { callApiError } from '../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../helpers/testStore';
import { NonEmpty, OptionalText } from '../../shared/schemas/common';

describe('text with a lone surrogate (issue #17)', () => {
  it('is refused at the schema, pairs (emoji, rare Hangul) are fine', () => {
    expect(OptionalText(100).safeParse('Ki\uD800m').success).toBe(false);
    expect(NonEmpty(100).safeParse('\uDC00').success).toBe(false);
    expect(OptionalText(100).parse('김민준 😀')).toBe('김민준 😀');
    expect(NonEmpty(100).parse('𠀀 Park')).toBe('𠀀 Park');
  });

  it('a walk-in with one is refused naming the field, and nothing is written', async () => {
    const store = createTestStore({ demo: true, attendees: 10 });
    try {
      const ctx = createTestContext(store);
      const before = store.db.prepare('SELECT COUNT(*) AS n FROM events').get();
      const err = await callApiError(ctx, 'checkin:registerWalkIn', { stopId: DEMO_STOP, familyName: 'Le\uD83De', givenName: 'Jina', consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' });
      expect(err.code).toBe('VALIDATION');
      expect(JSON.stringify(err.details)).toContain('familyName');
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual(before);
    } finally {
      disposeTestStore(store);
    }
  });
});
