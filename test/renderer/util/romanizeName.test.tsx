import { describe, expect, it } from 'vitest';
import { suggestRomanization } from '../../../renderer/util/romanizeName';

describe('suggestRomanization (Revised Romanization via es-hangul, customary family names)', () => {
  it.each([
    ['김민지', 'Kim', 'Minji', 'Gim'],
    ['박지우', 'Park', 'Jiu', 'Bak'],
    ['이서연', 'Lee', 'Seoyeon', 'I'],
    ['최현우', 'Choi', 'Hyeonu', 'Choe'],
    ['정하늘', 'Jung', 'Haneul', 'Jeong'],
    ['한복남', 'Han', 'Boknam', null],
    ['서은혜', 'Seo', 'Eunhye', null],
    ['남궁민수', 'Namgung', 'Minsu', null],
    ['황보 석', 'Hwangbo', 'Seok', null],
  ])('%s → %s %s', (ko, family, given, rr) => {
    expect(suggestRomanization(ko)).toEqual({ familyName: family, givenName: given, familyNameRr: rr });
  });

  it('romanizes a given name syllable by syllable, without the sound changes between them', () => {
    // Whole-word romanization would give "Bongnam" and "Silla"; names keep each syllable's spelling.
    expect(suggestRomanization('한복남')?.givenName).toBe('Boknam');
    expect(suggestRomanization('윤신라')).toMatchObject({ familyName: 'Yoon', givenName: 'Sinra' });
  });

  it('takes a two-syllable family name only in a four-syllable name', () => {
    expect(suggestRomanization('선우진')).toMatchObject({ familyName: 'Seon', givenName: 'Ujin' });
    expect(suggestRomanization('선우정아')).toMatchObject({ familyName: 'Seonu', givenName: 'Jeonga' });
  });

  it('suggests nothing for Latin, mixed or too short text', () => {
    for (const s of ['', '  ', 'Kim Minji', '김', '김 민 지', 'Kim 민지', 'ㄱㄴ']) expect(suggestRomanization(s)).toBeNull();
  });
});
