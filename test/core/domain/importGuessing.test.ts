import { describe, expect, it } from 'vitest';
import { formConsentTextVersion, consentScopeOf, isAttending, parseConsentAnswer, scopeIfAgreed } from '../../../core/domain/importConsent';
import { guessMapping, suggestMapping } from '../../../core/domain/importMapping';
import { parseCsvText, UnreadableFileError } from '../../../core/domain/importParse';

describe('import: columns guessed from header words in both languages (issue #22)', () => {
  it('maps a Korean Google Forms export: Hangul name, English name, affiliation, position, email, consent', () => {
    const headers = ['타임스탬프', '성명(한글)', '영문 이름', '소속', '과정/직위', '이메일', '개인정보 수집·이용 동의'];
    const s = suggestMapping(headers);
    expect(s.preset).toBe('google_forms');
    expect(s.mapping).toEqual({ nameKo: 1, fullName: 2, affiliation: 3, careerStage: 4, email: 5, consent: 6 });
    // The consent column is no preset's: found from its words, and said so.
    expect(s.guessed).toContain('consent');
  });

  it('finds the Korean-name custom question and the status of an Eventbrite export, and leaves buyer and ticket columns alone', () => {
    const headers = ['Order #', 'Order Date', 'First Name', 'Last Name', 'Email', 'Quantity', 'Ticket Type', 'Attendee #', 'Barcode #', 'Buyer First Name', 'Buyer Last Name', 'Buyer Email', 'Attendee Status', 'Company', 'Job Title', 'Name in Korean (optional)'];
    const s = suggestMapping(headers);
    expect(s.preset).toBe('eventbrite');
    expect(s.mapping).toEqual({ givenName: 2, familyName: 3, email: 4, scanToken: 8, attendance: 12, affiliation: 13, careerStage: 14, nameKo: 15 });
    expect(s.guessed).toEqual(['nameKo']);
  });

  it('guesses files of no preset, English and Korean words alike', () => {
    expect(guessMapping(['Full name', 'E-mail', 'Organization', 'Position', 'Korean name', 'Ticket code', 'I agree to share my details with participating institutions'])).toEqual({
      fullName: 0,
      email: 1,
      affiliation: 2,
      careerStage: 3,
      nameKo: 4,
      scanToken: 5,
      consent: 6,
    });
    expect(guessMapping(['성', '이름', '국문 성명', '소속 기관', '참석 여부', '관심 분야'])).toEqual({ familyName: 0, givenName: 1, nameKo: 2, affiliation: 3, attendance: 4, fields: 5 });
    // Of two consent questions, the one about sharing decides who may follow the person up.
    expect(guessMapping(['Name', '개인정보 수집·이용 동의', '개인정보 제3자 제공 동의']).consent).toBe(2);
    // "Email" before "Buyer Email", whatever the column order.
    expect(guessMapping(['Buyer Email', 'Name', 'Email']).email).toBe(2);
  });
});

describe('import: consent answers and status cells', () => {
  it('reads consent answers in both languages, declines first', () => {
    for (const yes of ['동의합니다', '동의함', '예', '네, 동의합니다', 'Yes', 'I agree', 'Agree', 'TRUE', '✓', '개인정보 수집 및 이용에 동의합니다.']) expect(parseConsentAnswer(yes), yes).toBe('agreed');
    for (const no of ['동의하지 않습니다', '동의하지 않음', '미동의', '비동의', '아니오', 'No', 'I do not agree', "I don't agree", 'Disagree', 'Decline']) expect(parseConsentAnswer(no), no).toBe('declined');
    for (const unclear of ['', '  ', 'maybe', '잘 모르겠음']) expect(parseConsentAnswer(unclear), unclear).toBeNull();
  });

  it('reads the scope from the question: sharing with institutions, or collection only; a decline shares with no one', () => {
    expect(scopeIfAgreed('개인정보 제3자 제공 동의')).toBe('all_institutions');
    expect(scopeIfAgreed('참여기관과의 개인정보 공유 동의')).toBe('all_institutions');
    expect(scopeIfAgreed('I agree to share my details with the participating institutions')).toBe('all_institutions');
    expect(scopeIfAgreed('개인정보 수집·이용 동의')).toBe('hq_stats');
    expect(scopeIfAgreed('I consent to the collection and use of the personal information I provided')).toBe('hq_stats');
    expect(consentScopeOf('declined', '개인정보 제3자 제공 동의')).toBe('hq_stats');
  });

  it('names the form question in the consent text version, within its 40 characters, the same question always the same', () => {
    const v = formConsentTextVersion('개인정보 수집·이용 동의');
    expect(v).toMatch(/^form-[0-9a-f]{8} 개인정보 수집·이용 동의$/);
    expect(formConsentTextVersion('개인정보 수집·이용 동의')).toBe(v);
    const long = formConsentTextVersion('I agree to the collection and use of my personal information as described above, version A');
    const other = formConsentTextVersion('I agree to the collection and use of my personal information as described above, version B');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toBe(other);
  });

  it('knows who is not coming', () => {
    for (const no of ['Not Attending', 'Cancelled', 'Refunded', 'Deleted', 'Transferred', '불참', '취소', '참석 안 함', 'No']) expect(isAttending(no), no).toBe(false);
    for (const yes of ['Attending', 'Checked In', '참석', '', 'Yes']) expect(isAttending(yes), yes).toBe(true);
  });
});

describe('import: rows as a spreadsheet shows them, and a quote that never closes', () => {
  it('numbers records, not text lines: a cell of several lines is one row', () => {
    const t = parseCsvText('name,email\r\n"Kim\r\nMinjun\r\n(KAIST)",a@x.edu\r\n\r\nLee,b@x.edu\r\n');
    expect(t.rows.map((r) => r[0])).toEqual(['name', 'Kim\r\nMinjun\r\n(KAIST)', 'Lee']);
    expect(t.rowNumbers).toEqual([1, 2, 4]);
  });

  it('names the row that opens a quote that never closes, and how many rows were not read', () => {
    const lines = ['name,email', 'Kim,a@x.edu', 'Lee,"b@x.edu'];
    for (let i = 0; i < 998; i++) lines.push(`P${i},p${i}@x.edu`);
    let err: unknown = null;
    try {
      parseCsvText(lines.join('\r\n') + '\r\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnreadableFileError);
    expect((err as UnreadableFileError).unclosed).toEqual({ row: 3, rowsNotRead: 998 });
    expect((err as UnreadableFileError).message).toBe('Row 3 opens a quote that never closes; 998 rows not read');
  });
});
