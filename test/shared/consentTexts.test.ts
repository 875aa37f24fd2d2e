import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONSENT_TEXTS, CURRENT_CONSENT_TEXT_VERSION, DESK_CONSENT_SCOPES } from '../../shared/consentTexts';
import { ConsentTextVersion } from '../../shared/consentTextVersion';
import { CONSENT_SCOPES } from '../../shared/vocab';

/**
 * The words people agreed to never change under their version (issue #22). A digest of every shipped
 * version's wording, en and ko: editing one fails here. To change what the forms say, append a new version
 * to shared/consentTexts.ts and add its digest below.
 */
const SHIPPED: Record<string, string> = {
  '2025-10-v1': 'fccdfe9fcbc51677c552f6703d8e57bc',
  '2025-11-v2': '92dd09f2e0cd781d945eb502f43f00d5',
};

const digest = (version: string) => {
  const t = CONSENT_TEXTS.find((c) => c.version === version)!;
  return createHash('sha256').update(JSON.stringify({ en: t.en, ko: t.ko })).digest('hex').slice(0, 32);
};

describe('consent texts', () => {
  it('keeps the wording of every shipped version unchanged (en and ko)', () => {
    for (const [version, hash] of Object.entries(SHIPPED)) expect({ version, hash: digest(version) }).toEqual({ version, hash });
  });

  it('only ever grows: every shipped version is still there, in order, and the last one is current', () => {
    const versions = CONSENT_TEXTS.map((c) => c.version);
    expect(versions.slice(0, Object.keys(SHIPPED).length)).toEqual(Object.keys(SHIPPED));
    expect(new Set(versions).size).toBe(versions.length);
    expect(CURRENT_CONSENT_TEXT_VERSION).toBe(versions.at(-1));
    expect(Object.keys(SHIPPED)).toContain(CURRENT_CONSENT_TEXT_VERSION);
  });

  it('words every choice in both languages, and accepts only versions it keeps', () => {
    for (const c of CONSENT_TEXTS) {
      for (const lang of ['en', 'ko'] as const) {
        expect(c[lang].statement.trim()).not.toBe('');
        expect(c[lang].agreement.trim()).not.toBe('');
        for (const s of CONSENT_SCOPES) expect(c[lang].scopes[s].trim()).not.toBe('');
      }
    }
    expect(ConsentTextVersion.safeParse(CURRENT_CONSENT_TEXT_VERSION).success).toBe(true);
    expect(ConsentTextVersion.safeParse('2025-10-v1').success).toBe(true);
    expect(ConsentTextVersion.safeParse('v1').success).toBe(false);
    expect(DESK_CONSENT_SCOPES).not.toContain('institution');
  });

  it('says in the current text that the choice is made below, above the choices (no “as chosen below” under them)', () => {
    const current = CONSENT_TEXTS.at(-1)!;
    expect(current.en.statement).toMatch(/Choose below/);
    expect(current.ko.statement).toMatch(/아래에서 선택/);
  });
});
