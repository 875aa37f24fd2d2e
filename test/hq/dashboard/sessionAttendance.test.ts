import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/openStore';
import { StopReportBody, stopReportData, stopReportPdf } from '../../../hq/server/dashboard/stopReport';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, disposeTestStore } from '../../helpers/testStore';

/** Issue #19: HQ reports attendance per session in the stop report (page and PDF), in both languages. */
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('stop report: attendance per session', () => {
  it('lists each session with its people, seats and career stages; a stop without sessions says so', async () => {
    const store = createTestStore();
    stores.push(store);
    const ctx = createTestContext(store, { actorId: 'admin' });
    const tour = await callApi(ctx, 'tour:upsert', { name: 'Roadshow 2026', year: 2026 });
    const stop = await callApi(ctx, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Chicago', cityKo: '시카고', date: '2026-10-19', timeZone: 'America/Chicago', kind: 'joint_briefing' });
    const empty = stopReportData(store, stop.id)!;
    expect(text(renderToStaticMarkup(createElement(StopReportBody, { data: empty, lang: 'en' })))).toContain('Attendance per session No sessions in this stop’s programme.');

    const briefing = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '10:00', endTime: '11:30', room: 'A', capacity: 300 });
    const ir = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'ir_round', title: 'Company IR', titleKo: '기업 IR', startTime: '14:00', endTime: '15:00', room: 'B' });
    await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Campus talk', startTime: '16:00', endTime: '17:00', room: 'C', cancelled: true });
    for (const [given, stage, sessions] of [['Ara', 'postdoc', [briefing.id, ir.id]], ['Bora', 'student', [briefing.id]], ['Chul', 'postdoc', [briefing.id]]] as const) {
      const r = await callApi(ctx, 'checkin:registerWalkIn', { stopId: stop.id, familyName: 'Park', givenName: given, careerStage: stage, fields: [], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1', checkInNow: false });
      for (const sessionId of sessions) await callApi(ctx, 'sessions:checkIn', { sessionId, registrationId: r.registrationId });
    }
    const data = stopReportData(store, stop.id)!;
    const en = text(renderToStaticMarkup(createElement(StopReportBody, { data, lang: 'en' })));
    expect(en).toMatch(/Attendance per session Session People Seats By career stage 10:00–11:30 Policy briefing 3 300 Student 1 · Postdoc 2 14:00–15:00 Company IR 1 — Postdoc 1 16:00–17:00 Campus talk \(cancelled\) 0 —/);
    const ko = text(renderToStaticMarkup(createElement(StopReportBody, { data, lang: 'ko' })));
    expect(ko).toContain('세션별 참석');
    expect(ko).toContain('10:00–11:30 정책 설명회 3 300');
    expect((await stopReportPdf(data, 'ko', new Date('2026-10-20T00:00:00Z'))).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
