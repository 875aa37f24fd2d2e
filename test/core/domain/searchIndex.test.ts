import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../../core/domain/searchIndex';
import type { SearchDoc } from '../../../core/domain/searchKeys';

const doc = (id: string, p: Partial<SearchDoc>): SearchDoc => ({ id, familyName: '', givenName: '', nameKo: '', email: '', affiliation: '', scanToken: '', ...p });

const PEOPLE: SearchDoc[] = [
  doc('kim-minjun', { familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'minjun.kim@mit.edu', affiliation: 'MIT', scanToken: 'RS-AAAA1111' }),
  doc('kim-minsu', { familyName: 'Kim', givenName: 'Min-su', nameKo: '김민수', email: 'mskim@stanford.edu', affiliation: 'Stanford University', scanToken: 'RS-BBBB2222' }),
  doc('lee-seoyeon', { familyName: 'Lee', givenName: 'Seoyeon', nameKo: '이서연', email: 'slee@harvard.edu', affiliation: 'Harvard University', scanToken: 'RS-CCCC3333' }),
  doc('muller', { familyName: 'Müller', givenName: 'Jürgen', email: 'jmuller@purdue.edu', affiliation: 'Purdue University', scanToken: 'RS-DDDD4444' }),
  doc('garcia', { familyName: 'García', givenName: 'Sofía', email: 'kimberly.fan@cmu.edu', affiliation: 'Carnegie Mellon University', scanToken: 'RS-EEEE5555' }),
  doc('only-ko', { nameKo: '박지훈', affiliation: '서울대학교', scanToken: 'RS-FFFF6666' }),
  doc('kimball', { familyName: 'Kimball', givenName: 'Ann', email: 'ann@uiuc.edu', affiliation: 'UIUC', scanToken: 'RS-GGGG7777' }),
];

const ids = (index: SearchIndex, q: string, limit = 20) => index.search(q, limit).map((h) => h.id);

describe('SearchIndex', () => {
  const index = new SearchIndex(PEOPLE);

  it('finds Latin names in either order, case- and accent-insensitive', () => {
    expect(ids(index, 'minjun kim')).toEqual(['kim-minjun']);
    expect(ids(index, 'KIM MINJUN')).toEqual(['kim-minjun']);
    expect(ids(index, 'muller')).toEqual(['muller']);
    expect(ids(index, 'jürgen MÜLLER')).toEqual(['muller']);
    expect(ids(index, 'sofia garcia')).toEqual(['garcia']);
  });

  it('finds hyphenated and compact romanisations', () => {
    expect(ids(index, 'minsu')).toEqual(['kim-minsu']);
    expect(ids(index, 'min-su')).toEqual(['kim-minsu']);
    expect(ids(index, 'kim min su')).toEqual(['kim-minsu']);
  });

  it('finds Hangul names whole, by given name, and by initial consonants', () => {
    expect(ids(index, '김민준')).toEqual(['kim-minjun']);
    expect(ids(index, '민수')).toEqual(['kim-minsu']);
    expect(ids(index, 'ㄱㅁㅅ')).toEqual(['kim-minsu']);
    expect(ids(index, 'ㅂㅈㅎ')).toEqual(['only-ko']);
    expect(ids(index, '김').sort()).toEqual(['kim-minjun', 'kim-minsu']);
  });

  it('finds email, affiliation and scan token', () => {
    expect(ids(index, 'slee@harvard.edu')).toEqual(['lee-seoyeon']);
    expect(ids(index, 'purdue')).toEqual(['muller']);
    expect(ids(index, '서울대')).toEqual(['only-ko']);
    expect(ids(index, 'rs-dddd4444')).toEqual(['muller']);
    expect(ids(index, 'RS-DDDD4444')).toEqual(['muller']);
  });

  it('ranks an exact name word above a prefix, and a name above email or affiliation', () => {
    // "kim": the two Kims (exact family name, in name order) first, then Kimball (prefix), then an email that starts with kim.
    expect(ids(index, 'kim')).toEqual(['kim-minsu', 'kim-minjun', 'kimball', 'garcia']);
    const scores = index.search('kim').map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('puts the scan token typed whole first', () => {
    expect(ids(index, 'RS-AAAA1111')[0]).toBe('kim-minjun');
  });

  it('requires every word of the query to match', () => {
    expect(ids(index, 'kim harvard')).toEqual([]);
    expect(ids(index, 'lee harvard')).toEqual(['lee-seoyeon']);
    expect(ids(index, 'zzz')).toEqual([]);
    // Nothing typed: people in name order.
    expect(ids(index, '   ', 3)).toEqual(['garcia', 'kim-minsu', 'kim-minjun']);
  });

  it('respects the limit', () => {
    expect(index.search('university', 2)).toHaveLength(2);
  });

  it('takes updates and removals (delta and tombstones), and stays right after a rebuild', () => {
    const ix = new SearchIndex(PEOPLE);
    ix.upsert(doc('kim-minjun', { familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'new@kaist.ac.kr', affiliation: 'KAIST', scanToken: 'RS-AAAA1111' }));
    ix.upsert(doc('new-one', { familyName: 'Smith', givenName: 'Jane', affiliation: 'Purdue University' }));
    ix.remove('muller');
    expect(ids(ix, 'kaist')).toEqual(['kim-minjun']);
    expect(ids(ix, 'mit')).toEqual([]);
    expect(ids(ix, 'purdue')).toEqual(['new-one']);
    expect(ix.size).toBe(PEOPLE.length);
    ix.rebuild();
    expect(ids(ix, 'kaist')).toEqual(['kim-minjun']);
    expect(ids(ix, 'purdue')).toEqual(['new-one']);
    expect(ids(ix, 'muller')).toEqual([]);
  });

  it('stays exact for one-word queries over many equal matches (early stop) and ranks by name', () => {
    const many: SearchDoc[] = [];
    for (let i = 0; i < 3000; i++) many.push(doc(`p${i}`, { familyName: 'Park', givenName: `Given${String(i).padStart(4, '0')}` }));
    many.push(doc('parker', { familyName: 'Parker', givenName: 'Zed' }));
    const ix = new SearchIndex(many);
    const hits = ix.search('park', 20);
    expect(hits).toHaveLength(20);
    expect(hits.map((h) => h.id)).not.toContain('parker');
    expect(hits[0]!.id).toBe('p0');
    expect(ids(ix, 'park given0042')).toEqual(['p42']);
    expect(ids(ix, 'parker')).toEqual(['parker']);
  });
});

describe('SearchIndex.builder (an index fed a document at a time, its keys sorted run by run)', () => {
  it('makes the very index the constructor makes from the same documents, in any order, past several runs', () => {
    // Over 32,768 documents and words per table: the sort keys, ids and words are sorted in more than one run.
    const docs: SearchDoc[] = [];
    for (let i = 0; i < 34_000; i++) {
      const n = (i * 7_919) % 34_000;
      docs.push(doc(`id-${String(n).padStart(6, '0')}`, { familyName: ['Kim', 'Lee', 'Park', 'Müller'][n % 4], givenName: `Given${n % 5_000}`, nameKo: n % 3 ? '김민준' : '', email: `p${n}@u${n % 97}.edu`, affiliation: `Lab ${n % 300}`, scanToken: n % 10 ? `RS-${n}` : '' }));
    }
    const whole = new SearchIndex(docs);
    const b = SearchIndex.builder();
    for (const d of [...docs].reverse()) b.add(d);
    const fed = b.finish();
    expect(Buffer.from(fed.snapshot()).equals(Buffer.from(whole.snapshot()))).toBe(true);
    expect(ids(fed, 'p33999')).toEqual(ids(whole, 'p33999'));
    expect(fed.size).toBe(34_000);
  }, 60_000);
});
