import { describe, expect, it } from 'vitest';
import { canonicalOfGroup } from '../../../core/domain/mergeGroups';
import { affiliationKey, latinNameKey, pairKey, proposeMatches, type MatchCandidate } from '../../../core/domain/personMatch';

const person = (id: string, over: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id,
  canonicalId: id,
  familyName: '',
  givenName: '',
  nameKo: '',
  email: '',
  affiliation: '',
  createdHlc: `00000000000000${id.length}:00000:${id}`,
  ...over,
});

describe('person match proposals', () => {
  it('proposes the same email, whatever its case, merging the newer record into the older', () => {
    const out = proposeMatches([
      person('b', { email: 'MK@mit.edu ', createdHlc: '2' }),
      person('a', { email: 'mk@mit.edu', createdHlc: '1' }),
      person('c', { email: 'other@mit.edu', createdHlc: '0' }),
    ]);
    expect(out).toEqual([{ fromId: 'b', intoId: 'a', rules: ['email'] }]);
  });

  it('proposes the same Latin name in any order, spelling of hyphens and accents, at the same affiliation', () => {
    expect(latinNameKey('Kim', 'Min-jun')).toBe(latinNameKey('MINJUN', 'kim'));
    expect(affiliationKey('The Ohio State University')).toBe(affiliationKey('ohio state university'));
    const out = proposeMatches([
      person('a', { familyName: 'Kim', givenName: 'Min-jun', affiliation: 'MIT', createdHlc: '1' }),
      person('b', { familyName: 'Minjun', givenName: 'KIM', affiliation: 'mit', createdHlc: '2' }),
      person('c', { familyName: 'Kim', givenName: 'Minjun', affiliation: 'Harvard', createdHlc: '3' }),
    ]);
    expect(out).toEqual([{ fromId: 'b', intoId: 'a', rules: ['latin_name_affiliation'] }]);
  });

  it('proposes the same Hangul name at the same affiliation, spaces ignored, and names every rule that matched', () => {
    const out = proposeMatches([
      person('x', { nameKo: '박 서연', affiliation: 'Purdue University', email: 'sy@purdue.edu', createdHlc: '5' }),
      person('y', { nameKo: '박서연', affiliation: 'purdue university', email: 'SY@purdue.edu', createdHlc: '4' }),
      person('z', { nameKo: '박서연', affiliation: 'UIUC', createdHlc: '3' }),
    ]);
    expect(out).toEqual([{ fromId: 'x', intoId: 'y', rules: ['email', 'hangul_name_affiliation'] }]);
  });

  it('does not propose a name without an affiliation, a one-word name, or records already merged', () => {
    expect(proposeMatches([person('a', { familyName: 'Lee', givenName: 'Jin' }), person('b', { familyName: 'Lee', givenName: 'Jin' })])).toEqual([]);
    expect(proposeMatches([person('a', { familyName: 'Lee', affiliation: 'MIT' }), person('b', { familyName: 'Lee', affiliation: 'MIT' })])).toEqual([]);
    expect(proposeMatches([person('a', { email: 'p@x.org' }), person('b', { email: 'p@x.org', canonicalId: 'a' })])).toEqual([]);
  });

  it('leaves out a proposal an admin dismissed', () => {
    const people = [person('a', { email: 'p@x.org', createdHlc: '1' }), person('b', { email: 'p@x.org', createdHlc: '2' })];
    expect(proposeMatches(people)).toHaveLength(1);
    expect(proposeMatches(people, new Set([pairKey('a', 'b')]))).toEqual([]);
  });

  it('is deterministic whatever the input order', () => {
    const people = [
      person('a', { email: 'p@x.org', createdHlc: '3' }),
      person('b', { email: 'p@x.org', createdHlc: '1' }),
      person('c', { email: 'p@x.org', createdHlc: '2' }),
    ];
    const one = proposeMatches(people);
    expect(one).toEqual([
      { fromId: 'a', intoId: 'b', rules: ['email'] },
      { fromId: 'c', intoId: 'b', rules: ['email'] },
    ]);
    expect(proposeMatches([...people].reverse())).toEqual(one);
  });
});

describe('canonical record of a merged group', () => {
  it('follows a chain to its end', () => {
    expect(canonicalOfGroup([{ fromId: 'A', intoId: 'B', hlc: '2' }, { fromId: 'B', intoId: 'C', hlc: '1' }])).toEqual({ members: ['A', 'B', 'C'], canonical: 'C' });
  });
  it('picks the earliest-named record when two admins merged one record into two others', () => {
    expect(canonicalOfGroup([{ fromId: 'A', intoId: 'C', hlc: '2' }, { fromId: 'A', intoId: 'B', hlc: '3' }]).canonical).toBe('C');
  });
  it('picks the smallest id in a cycle', () => {
    expect(canonicalOfGroup([{ fromId: 'B', intoId: 'A', hlc: '1' }, { fromId: 'A', intoId: 'B', hlc: '2' }]).canonical).toBe('A');
  });
});
