import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

export const KAIST = `booth-${DEMO_STOP}-inst-kaist`;
export const GIST = `booth-${DEMO_STOP}-inst-gist`;
export const POSTECH = `booth-${DEMO_STOP}-inst-postech`;

/** 13:00 New York on the demo stop's date (14 Nov 2025, EST = UTC-5), plus `minutes`. */
export const at = (minutes: number): string => new Date(Date.parse('2025-11-14T18:00:00.000Z') + minutes * 60_000).toISOString();

export interface Reg {
  id: string;
  attendee_id: string;
}

export function registrationsAt(store: Store, stopId = DEMO_STOP): Reg[] {
  return store.db.prepare<[string], Reg>('SELECT id, attendee_id FROM registrations WHERE stop_id = ? ORDER BY id').all(stopId);
}

export const count = (store: Store, sql: string, ...params: unknown[]): number => (store.db.prepare(sql).get(...params) as { n: number }).n;

export async function boothFixture(opts: { capacity?: number } = {}): Promise<{ store: Store; ctx: ApiContext; regs: Reg[] }> {
  const store = createTestStore({ demo: true, attendees: 120 });
  const ctx = createTestContext(store, { actorId: 'staff-1' });
  for (const boothId of [KAIST, GIST, POSTECH]) {
    await callApi(ctx, 'booths:setPlan', { boothId, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: opts.capacity ?? 2, breaks: [{ start: '14:00', end: '14:15' }], fields: ['ai'] });
  }
  return { store, ctx, regs: registrationsAt(store) };
}
