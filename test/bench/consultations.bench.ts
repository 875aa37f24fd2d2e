import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore } from '../../core/store/openStore';
import { CONSENT_SCOPES, PROGRAMS, RESEARCH_FIELDS } from '../../shared/vocab';
import { FOLLOW_UP_STATUSES, INTEREST_LEVELS } from '../../shared/schemas/consultations';
import { callApi } from '../helpers/callApi';
import { createTestContext, DEMO_STOP, RESOURCES_DIR, tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

/**
 * A busy stop's booths: every registration at the stop gets consultations at several institutions
 * (each one an event + projection + fsync, like the booth form's save), a third of them edited.
 * Measures logging, an edit, the filtered list with a notes search (the screen's refresh after every
 * keystroke), and one institution's follow-up export over the whole tour as CSV and XLSX.
 */
export async function run(): Promise<BenchResult[]> {
  const store = openStore(path.join(tempDir('bench-consultations-'), 'roadshow.sqlite'));
  store.events.ingest(buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 6_000, seed: 4 }));
  const ctx = createTestContext(store);
  const regs = store.db.prepare<[string], { id: string }>('SELECT id FROM registrations WHERE stop_id = ? ORDER BY id').all(DEMO_STOP);
  const institutions = (await callApi(ctx, 'institutions:list', {})).map((i) => i.id);
  const words = ['lab visit', 'InnoCORE', '연구실 방문', 'postdoc in Daejeon', 'battery', 'faculty opening', 'spring 2026', 'collaboration'];

  const ids: { id: string; rev: string }[] = [];
  const t0 = performance.now();
  let k = 0;
  for (const r of regs) {
    for (let j = 0; j < 3; j++, k++) {
      const d = await callApi(ctx, 'consultations:log', {
        stopId: DEMO_STOP,
        institutionId: institutions[k % institutions.length]!,
        registrationId: r.id,
        content: {
          staffName: `Staff ${k % 7}`,
          fields: [RESEARCH_FIELDS[k % RESEARCH_FIELDS.length]!],
          programs: [PROGRAMS[k % PROGRAMS.length]!],
          interestLevel: INTEREST_LEVELS[k % 3]!,
          followUpAction: k % 4 === 0 ? '' : 'Send information',
          followUpStatus: k % 4 === 0 ? 'none' : FOLLOW_UP_STATUSES[1 + (k % 3)]!,
          notes: `${words[k % words.length]} ${words[(k * 3) % words.length]} #${k}`,
        },
        consent: k % 5 === 0 ? { scope: CONSENT_SCOPES[k % 3]!, textVersion: '2025-10-v1' } : null,
      });
      ids.push({ id: d.consultationId, rev: d.currentRevisionId });
    }
  }
  const logMs = (performance.now() - t0) / ids.length;

  const edits = ids.filter((_, i) => i % 3 === 0);
  const t1 = performance.now();
  for (const c of edits) {
    const d = await callApi(ctx, 'consultations:get', { consultationId: c.id });
    await callApi(ctx, 'consultations:edit', { consultationId: c.id, baseRevisionId: c.rev, editor: 'Editor', content: { ...d.content, notes: `${d.content.notes} (edited)` } });
  }
  const editMs = (performance.now() - t1) / edits.length;

  const n = 30;
  const t2 = performance.now();
  for (let i = 0; i < n; i++) await callApi(ctx, 'consultations:list', { stopId: DEMO_STOP, limit: 500 });
  const listMs = (performance.now() - t2) / n;
  const t3 = performance.now();
  for (let i = 0; i < n; i++) await callApi(ctx, 'consultations:list', { stopId: DEMO_STOP, field: 'ai', interestLevel: 'high', notesQuery: i % 2 ? '연구실' : 'lab visit', limit: 500 });
  const filteredMs = (performance.now() - t3) / n;

  const t4 = performance.now();
  const csv = await callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', stopId: null, format: 'csv', language: 'ko' });
  const csvMs = performance.now() - t4;
  const t5 = performance.now();
  const xlsx = await callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', stopId: null, format: 'xlsx', language: 'ko' });
  const xlsxMs = performance.now() - t5;
  store.close();

  const size = `${ids.length} consultations at one stop (${regs.length} people × 3), ${edits.length} edited`;
  return [
    { name: 'consultation logged (validate, event + projection, fsync)', value: round(logMs), unit: 'ms', detail: size },
    { name: 'consultation edited (get + edit with base-revision check)', value: round(editMs), unit: 'ms', detail: size },
    { name: 'list of a stop (500 newest, with totals)', value: round(listMs), unit: 'ms', detail: size },
    { name: 'filtered list with notes search', value: round(filteredMs), unit: 'ms', detail: 'field + interest + one-word notes search' },
    { name: 'follow-up export CSV, one institution, whole tour', value: round(csvMs), unit: 'ms', detail: `${csv.rowCount} rows, ${csv.excludedNoConsent} left out for consent` },
    { name: 'follow-up export XLSX, one institution, whole tour', value: round(xlsxMs), unit: 'ms', detail: `${xlsx.rowCount} rows, ${Math.round((xlsx.base64.length * 3) / 4 / 1024)} KiB` },
  ];
}

const round = (x: number) => Math.round(x * 100) / 100;
