import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPath } from '../../../core/domain/qrPath';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

describe('badges', () => {
  const ctx = createTestContext(createTestStore({ demo: true, attendees: 80 }));
  const regs = ctx.store.db.prepare("SELECT r.id FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = ? AND a.name_ko <> '' ORDER BY r.id").all(DEMO_STOP) as { id: string }[];
  const preCount = (ctx.store.db.prepare("SELECT COUNT(*) AS n FROM registrations WHERE stop_id = ? AND source IN ('preregistered','import')").get(DEMO_STOP) as { n: number }).n;

  it('draws the QR code of the scan token module by module', () => {
    const { size, path } = qrPath('RS-7K2QH9MX4TB3');
    const qr = QRCode.create('RS-7K2QH9MX4TB3', { errorCorrectionLevel: 'M' });
    expect(size).toBe(qr.modules.size);
    // Every dark module is covered by exactly one run of the path.
    let dark = 0;
    for (const m of path.matchAll(/M\d+ \d+h(\d+)/g)) dark += Number(m[1]);
    expect(dark).toBe([...qr.modules.data].filter(Boolean).length);
  });

  for (const [layout, mediaBox] of [
    ['a6', /\/MediaBox \[0 0 297\.6\d* 419\.5\d*\]/],
    ['badge_4x3', /\/MediaBox \[0 0 288 216\]/],
    ['label_62mm', /\/MediaBox \[0 0 175\.7\d* 283\.4\d*\]/],
  ] as const) {
    it(`makes a PDF in the ${layout} layout with an embedded Hangul font`, async () => {
      const out = await callApi(ctx, 'badges:pdf', { stopId: DEMO_STOP, layout, registrationIds: regs.slice(0, 2).map((r) => r.id) });
      const pdf = Buffer.from(out.base64, 'base64');
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(out.count).toBe(2);
      expect(pages(pdf)).toBe(2);
      expect(pdf.toString('latin1')).toMatch(mediaBox);
      expect(pdf.toString('latin1')).toMatch(/\/FontFile3|\/FontFile2/);
      expect(pdf.toString('latin1')).toContain('Pretendard');
    });
  }

  it('makes the batch for everyone pre-registered, and the print data', async () => {
    const out = await callApi(ctx, 'badges:pdf', { stopId: DEMO_STOP, layout: 'a6', allPreregistered: true });
    expect(out.count).toBe(preCount);
    expect(pages(Buffer.from(out.base64, 'base64'))).toBe(preCount);
    const data = await callApi(ctx, 'badges:data', { stopId: DEMO_STOP, layout: 'a6', registrationIds: [regs[0]!.id] });
    expect(data.badges[0]!.nameKo).not.toBe('');
    expect(data.stopLabel).toContain('New York');
    expect(await callApi(ctx, 'badges:print', { layout: 'a6' })).toEqual({ printed: false });
  });

  it('refuses an empty selection and a registration of another stop', async () => {
    expect((await callApiError(ctx, 'badges:pdf', { stopId: DEMO_STOP, layout: 'a6' })).code).toBe('VALIDATION');
    const other = ctx.store.db.prepare('SELECT id FROM registrations WHERE stop_id <> ? LIMIT 1').get(DEMO_STOP) as { id: string };
    expect((await callApiError(ctx, 'badges:pdf', { stopId: DEMO_STOP, layout: 'a6', registrationIds: [other.id] })).code).toBe('NOT_FOUND');
  });
});
