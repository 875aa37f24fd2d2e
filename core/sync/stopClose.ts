import { AppError } from '../../shared/errors';
import { DigestResponse, type DeviceDigest } from '../../shared/sync/hqProtocol';
import type { Store } from '../store/openStore';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import { SYNC_KEYS } from '../store/queries/syncQueries';
import { createHttpTransport, NetworkError, type HqTransport } from './hqTransport';
import { HUB_KEYS } from './hubService';
import { hqError } from './syncClient';

/** Devices that write for HQ (HQ's decisions; the demo tour's stand-in for HQ's master data). */
const HQ_SIDE_DEVICES = new Set(['hq', 'demo-hq']);

/** One desk of a stop, compared by digest with what HQ holds. */
export interface DeskCheck {
  deviceId: string;
  /** Events of this desk this laptop holds (any stop), and the highest sequence. */
  localCount: number;
  localMaxSeq: number;
  hqCount: number;
  hqMaxSeq: number;
  /** Sequences HQ lacks that this laptop holds: hqMaxSeq+1 … localMaxSeq (0 when complete). */
  missing: number;
  /** Events of this desk HQ holds that this laptop has not pulled yet. */
  notPulledHere: number;
  complete: boolean;
}

export interface StopCloseCheck {
  stopId: string;
  /** Every desk that wrote at this stop (as far as this laptop knows) is wholly at HQ. */
  complete: boolean;
  desks: DeskCheck[];
  at: 'hq' | 'hub';
}

/**
 * The stop lead's closing check: for every device that wrote events at the stop, the laptop's
 * copy of its log against HQ's digest of it (count and highest sequence, which HQ keeps contiguous).
 * A desk HQ lacks events of is listed with what it lacks.
 */
export function compareStopWithHq(store: Store, stopId: string, hq: readonly DeviceDigest[], at: 'hq' | 'hub' = 'hq'): StopCloseCheck {
  const all = store.db
    .prepare<[string], { device_id: string; n: number; max_seq: number }>(`
      SELECT e.device_id, COUNT(*) AS n, MAX(e.device_seq) AS max_seq FROM events e
      WHERE e.device_id IN (SELECT DISTINCT device_id FROM events WHERE stop_id = ?)
      GROUP BY e.device_id ORDER BY e.device_id`)
    .all(stopId);
  // At the hub, HQ's own devices are not the venue's: their events come from HQ (a hub without an HQ
  // link never holds them) and the venue cannot lose them.
  const desks = at === 'hub' ? all.filter((d) => !HQ_SIDE_DEVICES.has(d.device_id)) : all;
  const byDevice = new Map(hq.map((d) => [d.device_id, d]));
  const out = desks.map((d): DeskCheck => {
    const h = byDevice.get(d.device_id);
    const hqMaxSeq = h?.max_seq ?? 0;
    const missing = Math.max(0, d.max_seq - hqMaxSeq);
    return {
      deviceId: d.device_id,
      localCount: d.n,
      localMaxSeq: d.max_seq,
      hqCount: h?.count ?? 0,
      hqMaxSeq,
      missing,
      notPulledHere: Math.max(0, hqMaxSeq - d.max_seq),
      complete: missing === 0,
    };
  });
  return { stopId, complete: out.every((d) => d.complete), desks: out, at };
}

/**
 * Asks HQ (or, with `at: 'hub'`, the venue hub this desk syncs with) for its digest of every device
 * and compares the stop with it. The address's pinned certificate, if any, is used.
 */
export async function checkStopAtHq(
  store: Store,
  stopId: string,
  transportFor: (url: string, certFingerprint: string | null) => HqTransport = (url, certFingerprint) => createHttpTransport(url, { certFingerprint }),
  at: 'hq' | 'hub' = 'hq',
): Promise<StopCloseCheck> {
  const settings = createSettingsQueries(store.db);
  const keys = at === 'hub' ? HUB_KEYS : SYNC_KEYS;
  const url = settings.get(keys.url);
  const token = settings.get(keys.token);
  if (!url) throw new AppError('SYNC_NOT_CONFIGURED', at === 'hub' ? 'No hub address is set' : 'No HQ address is set');
  if (!token) throw new AppError('SYNC_NOT_ENROLLED', at === 'hub' ? 'This laptop is not enrolled at the hub' : 'This laptop is not enrolled at HQ');
  let res;
  try {
    res = await transportFor(url, settings.get(keys.certFingerprint)).request('GET', '/v1/sync/digest', undefined, token);
  } catch (err) {
    if (err instanceof NetworkError) throw new AppError('SYNC_OFFLINE', err.message, { network: err.message });
    throw err;
  }
  if (res.status !== 200) throw hqError(res);
  const parsed = DigestResponse.safeParse(res.body);
  if (!parsed.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the digest with something unexpected');
  return compareStopWithHq(store, stopId, parsed.data.devices, at);
}
