import { describe, expect, it } from 'vitest';
import { changedKeys, normalizeContent, revisionState } from '../../../core/domain/consultationRevisions';
import { ConsultationContent } from '../../../shared/schemas/consultations';

const rev = (revisionId: string, ms: number, bases: string[] = [], node = 'dev-a') => ({
  revisionId,
  hlc: `${String(ms).padStart(15, '0')}:00000:${node}`,
  baseRevisionIds: bases,
});

describe('revision graph', () => {
  it('has one head along a line of edits', () => {
    const s = revisionState([rev('L', 1), rev('E1', 2, ['L']), rev('E2', 3, ['E1'])])!;
    expect(s.heads.map((h) => h.revisionId)).toEqual(['E2']);
    expect(s.conflict).toBe(false);
  });

  it('flags two edits of the same base, shows the newer, in any order', () => {
    const revs = [rev('L', 1), rev('A', 5, ['L'], 'dev-a'), rev('B', 4, ['L'], 'dev-b')];
    for (const order of [revs, [...revs].reverse(), [revs[1]!, revs[0]!, revs[2]!]]) {
      const s = revisionState(order)!;
      expect(s.conflict).toBe(true);
      expect(s.heads.map((h) => h.revisionId)).toEqual(['A', 'B']);
      expect(s.current.revisionId).toBe('A');
    }
  });

  it('a resolution naming both heads ends the conflict; an edit racing it opens a new one', () => {
    const base = [rev('L', 1), rev('A', 2, ['L']), rev('B', 3, ['L'], 'dev-b')];
    const resolved = revisionState([...base, rev('R', 4, ['A', 'B'])])!;
    expect(resolved.conflict).toBe(false);
    expect(resolved.current.revisionId).toBe('R');
    const raced = revisionState([...base, rev('R', 4, ['A', 'B']), rev('C', 5, ['A'], 'dev-c')])!;
    expect(raced.conflict).toBe(true);
    expect(raced.heads.map((h) => h.revisionId)).toEqual(['C', 'R']);
  });

  it('has no state without revisions', () => {
    expect(revisionState([])).toBeNull();
  });

  it('compares content by value, ignoring the order of sets', () => {
    const a = ConsultationContent.parse({ staffName: 'Kim', fields: ['ai', 'bio'], otherFields: ['Batteries'], notes: 'x' });
    const b = ConsultationContent.parse({ staffName: 'Kim', fields: ['bio', 'ai'], otherFields: [' Batteries '], notes: 'x' });
    expect(changedKeys(a, b)).toEqual([]);
    expect(changedKeys(a, { ...b, notes: 'y', interestLevel: 'high' })).toEqual(['interestLevel', 'notes']);
    expect(normalizeContent({ ...a, otherFields: ['Battery  materials', 'battery materials', ''] }).otherFields).toEqual(['Battery materials']);
  });
});
