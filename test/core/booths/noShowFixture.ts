import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';
import { at, KAIST } from './boothFixture';

/** A store on a clock the test moves (no real waiting): starts at 12:50 New York on the demo stop's day. */
export interface NoShowFixture {
  store: Store;
  ctx: ApiContext;
  /** Registrations of the stop without a check-in, and with one. */
  absent: string[];
  present: string[];
  setClock(iso: string): void;
}

export async function noShowFixture(opts: { capacity?: number } = {}): Promise<NoShowFixture> {
  let now = Date.parse(at(-10));
  const store = createTestStore({ demo: true, attendees: 80, now: () => now });
  const ctx = createTestContext(store, { actorId: 'staff-1' });
  await callApi(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: opts.capacity ?? 1, breaks: [], fields: [] });
  const ids = (checked: boolean) =>
    store.db
      .prepare<[string], { id: string }>(
        `SELECT r.id FROM registrations r WHERE r.stop_id = ? AND ${checked ? '' : 'NOT'} EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) ORDER BY r.id`,
      )
      .all(DEMO_STOP)
      .map((r) => r.id);
  return { store, ctx, absent: ids(false), present: ids(true), setClock: (iso) => void (now = Date.parse(iso)) };
}
