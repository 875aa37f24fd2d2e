import { describe, expect, it } from 'vitest';
import { hangulRomanKeys, latinRomanKey, NameKeyIndex, personNameKeys, romanSkeleton } from '../../../core/domain/romanizedNameKey';

describe('romanised name keys', () => {
  it('folds the spellings of one Korean name together, in either order', () => {
    const key = latinRomanKey('Kim', 'Taeseok');
    expect(key).not.toBe('');
    for (const [family, given] of [
      ['Kim', 'Tae Seok'],
      ['Kim', 'Tae-seok'],
      ['Kim', 'Taesuk'],
      ['KIM', 'tae seok'],
      ['Gim', 'Taeseok'],
      ['Taeseok', 'Kim'],
    ] as const)
      expect(latinRomanKey(family, given), `${family} ${given}`).toBe(key);
    expect(hangulRomanKeys('김태석')).toContain(key);
    expect(hangulRomanKeys('김 태석')).toContain(key);
  });

  it('knows the common passport spellings of family names and syllables', () => {
    const same: [string, string][][] = [
      [['Lee', 'Seoyeon'], ['Yi', 'Seo-yeon'], ['Rhee', 'Seoyeon'], ['I', 'Seoyeon']],
      [['Park', 'Jiwoo'], ['Bak', 'Jiu'], ['Pak', 'Ji-woo']],
      [['Choi', 'Hyunwoo'], ['Choe', 'Hyeonu']],
      [['Jung', 'Kyungsoo'], ['Jeong', 'Gyeongsu'], ['Chung', 'Kyoungsoo']],
      [['Noh', 'Minjun'], ['Roh', 'Min-joon'], ['No', 'Minjun']],
      [['Ahn', 'Dohyun'], ['An', 'Do-hyeon']],
      [['Ryu', 'Minji'], ['Yoo', 'Minji'], ['Yu', 'Min Ji']],
      [['Seo', 'Eunji'], ['Suh', 'Eun-ji']],
    ];
    for (const group of same) {
      const keys = group.map(([f, g]) => latinRomanKey(f, g));
      expect(new Set(keys).size, group.map((p) => p.join(' ')).join(' / ')).toBe(1);
    }
    expect(hangulRomanKeys('이서연')).toContain(latinRomanKey('Lee', 'Seoyeon'));
    expect(hangulRomanKeys('박지우')).toContain(latinRomanKey('Park', 'Jiwoo'));
    expect(hangulRomanKeys('최현우')).toContain(latinRomanKey('Choi', 'Hyunwoo'));
    expect(hangulRomanKeys('정경수')).toContain(latinRomanKey('Jung', 'Kyungsoo'));
  });

  it('keeps different names apart', () => {
    expect(latinRomanKey('Kim', 'Minjun')).not.toBe(latinRomanKey('Kim', 'Minjin'));
    expect(latinRomanKey('Kim', 'Taeseok')).not.toBe(latinRomanKey('Kim', 'Taeyoung'));
    expect(latinRomanKey('Park', 'Jiwoo')).not.toBe(latinRomanKey('Park', 'Jihoo'));
    expect(latinRomanKey('Kim', '')).toBe('');
    expect(romanSkeleton('---')).toBe('');
    expect(hangulRomanKeys('Kim')).toEqual([]);
    expect(hangulRomanKeys('김')).toEqual([]);
  });

  it('takes a compound family name as either split in names of four syllables', () => {
    const keys = hangulRomanKeys('남궁민수');
    expect(keys).toContain(latinRomanKey('Namgung', 'Minsu'));
    expect(keys).toContain(latinRomanKey('Nam', 'Gungminsu'));
  });

  it('indexes people by every key and is patched in place', () => {
    const index = new NameKeyIndex();
    index.upsert('a', { familyName: 'Kim', givenName: 'Taeseok', nameKo: '' });
    index.upsert('b', { familyName: '', givenName: '', nameKo: '김태석' });
    index.upsert('c', { familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준' });
    expect(index.alike({ familyName: 'Kim', givenName: 'Tae Seok', nameKo: '' })).toEqual(['a', 'b']);
    expect(index.alike({ familyName: '', givenName: '', nameKo: '김 태석' })).toEqual(['a', 'b']);
    expect(index.alike({ familyName: 'Kim', givenName: 'Min-joon', nameKo: '' })).toEqual(['c']);
    index.upsert('a', { familyName: 'Kim', givenName: 'Taeyoung', nameKo: '' });
    expect(index.alike({ familyName: 'Kim', givenName: 'Taesuk', nameKo: '' })).toEqual(['b']);
    index.remove('b');
    expect(index.alike({ familyName: 'Kim', givenName: 'Taesuk', nameKo: '' })).toEqual([]);
    expect(index.size).toBe(2);
    expect(personNameKeys({ familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준' })).toContain('ko:김민준');
  });

  it('round-trips through a snapshot: the same hints, patched in place after reading it back', () => {
    const index = new NameKeyIndex();
    index.upsert('a', { familyName: 'Kim', givenName: 'Taeseok', nameKo: '' });
    index.upsert('b', { familyName: '', givenName: '', nameKo: '김태석' });
    index.upsert('c', { familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준' });
    index.upsert('d', { familyName: '', givenName: '', nameKo: '' });
    const back = NameKeyIndex.fromSnapshot(index.snapshot())!;
    expect(back.size).toBe(index.size);
    for (const name of [{ familyName: 'Kim', givenName: 'Tae Seok', nameKo: '' }, { familyName: '', givenName: '', nameKo: '김민준' }, { familyName: 'Gim', givenName: 'Min-joon', nameKo: '' }]) {
      expect(back.alike(name)).toEqual(index.alike(name));
    }
    back.remove('a');
    back.upsert('c', { familyName: 'Kim', givenName: 'Taesuk', nameKo: '' });
    expect(back.alike({ familyName: 'Kim', givenName: 'Taeseok', nameKo: '' })).toEqual(['b', 'c']);
    expect(back.alike({ familyName: 'Kim', givenName: 'Minjun', nameKo: '' })).toEqual([]);
    expect(back.size).toBe(2);
    // Saved again (what it read, less the changed people, plus the changes): the same hints.
    const again = NameKeyIndex.fromSnapshot(back.snapshot())!;
    for (const name of [{ familyName: 'Kim', givenName: 'Taeseok', nameKo: '' }, { familyName: '', givenName: '', nameKo: '김민준' }, { familyName: '', givenName: '', nameKo: '김태석' }]) {
      expect(again.alike(name)).toEqual(back.alike(name));
    }
    expect(again.size).toBe(2);
    expect(NameKeyIndex.fromSnapshot(new NameKeyIndex().snapshot())!.size).toBe(0);
    // Not such bytes: nothing is read.
    expect(NameKeyIndex.fromSnapshot(Buffer.from('odd'))).toBeNull();
    expect(NameKeyIndex.fromSnapshot(Buffer.from('no separators', 'utf16le'))).toBeNull();
  });

  it('keeps a key shared by several people through upserts and removals, and derives keys the same on repeat (memoised)', () => {
    const index = new NameKeyIndex();
    const taeseok = { familyName: 'Kim', givenName: 'Taeseok', nameKo: '' };
    for (const id of ['p3', 'p1', 'p2']) index.upsert(id, taeseok);
    expect(index.alike(taeseok)).toEqual(['p1', 'p2', 'p3']);
    index.upsert('p1', taeseok);
    expect(index.alike(taeseok)).toEqual(['p1', 'p2', 'p3']);
    index.remove('p3');
    index.remove('p1');
    expect(index.alike(taeseok)).toEqual(['p2']);
    index.upsert('p4', { familyName: 'Gim', givenName: 'Tae-suk', nameKo: '' });
    expect(index.alike(taeseok)).toEqual(['p2', 'p4']);
    index.remove('p2');
    index.remove('p4');
    expect(index.alike(taeseok)).toEqual([]);
    expect(index.size).toBe(0);
    expect(romanSkeleton('Taeseok')).toBe(romanSkeleton('Taeseok'));
    expect(hangulRomanKeys('김태석')).toEqual(hangulRomanKeys('김태석'));
    expect(hangulRomanKeys('김태석')).toContain(latinRomanKey('Kim', 'Taeseok'));
  });
});
