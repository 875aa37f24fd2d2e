import { AppError } from '../../shared/errors';
import { HqErrorBody, StopDigestResponse } from '../../shared/sync/hqProtocol';
import type { Store } from '../store/openStore';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import { SYNC_KEYS } from '../store/queries/syncQueries';
import { createHttpTransport, NetworkError, type HqTransport } from './hqTransport';
import { HUB_KEYS } from './hubService';
import { hqError } from './syncClient';

export type TransportFactory = (url: string, certFingerprint: string | null) => HqTransport;

export interface RemoteStopDigest {
  eventCount: number;
  digest: string;
  source: 'hq' | 'hub';
}

/** Thrown when the venue hub answered that HQ has not confirmed its copy of the stop. */
export class HubNotConfirmed extends AppError {
  constructor(message: string, details: Record<string, unknown>) {
    super('DIGEST_MISMATCH', message, details);
  }
}

/**
 * Fetches HQ's digest of a stop (GET /v1/sync/stop-digest) with this laptop's device token: from HQ
 * when the laptop is enrolled there, otherwise from the venue hub it joined (which answers only
 * with HQ's confirmation of its own copy). Throws SYNC_NOT_CONFIGURED / SYNC_NOT_ENROLLED when the
 * laptop has neither, SYNC_OFFLINE when it cannot reach them, HubNotConfirmed for the hub's refusal.
 */
export async function fetchRemoteStopDigest(
  store: Store,
  stopId: string,
  transportFor: TransportFactory = (url, certFingerprint) => createHttpTransport(url, { certFingerprint, timeoutMs: 30_000 }),
): Promise<RemoteStopDigest> {
  const settings = createSettingsQueries(store.db);
  const enrolled = (keys: typeof SYNC_KEYS | typeof HUB_KEYS) => settings.get(keys.url) !== null && settings.get(keys.token) !== null;
  const keys = enrolled(SYNC_KEYS) ? SYNC_KEYS : enrolled(HUB_KEYS) ? HUB_KEYS : null;
  if (!keys) {
    if (settings.get(SYNC_KEYS.url) || settings.get(HUB_KEYS.url)) throw new AppError('SYNC_NOT_ENROLLED', 'This laptop is not enrolled at HQ or at a venue hub');
    throw new AppError('SYNC_NOT_CONFIGURED', 'No HQ or venue hub address is set');
  }
  let res;
  try {
    res = await transportFor(settings.get(keys.url)!, settings.get(keys.certFingerprint)).request('GET', `/v1/sync/stop-digest?stop=${encodeURIComponent(stopId)}`, undefined, settings.get(keys.token));
  } catch (err) {
    if (err instanceof NetworkError) throw new AppError('SYNC_OFFLINE', err.message, { network: err.message });
    throw err;
  }
  if (res.status === 409) {
    const body = HqErrorBody.safeParse(res.body);
    if (body.success && body.data.error.code === 'NOT_CONFIRMED') throw new HubNotConfirmed(body.data.error.message, body.data.error.details ?? {});
  }
  if (res.status !== 200) throw hqError(res);
  const parsed = StopDigestResponse.safeParse(res.body);
  if (!parsed.success || parsed.data.stop_id !== stopId) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the stop digest with something unexpected');
  // A hub may vouch only as a hub; an HQ address that answers "hub" is a hub (its word is HQ-confirmed too).
  return { eventCount: parsed.data.event_count, digest: parsed.data.digest, source: keys === HUB_KEYS ? 'hub' : parsed.data.source };
}
