import { AppError } from '../../shared/errors';
import type { PurgeCheck } from '../../shared/ipc/purgeContract';
import type { Store } from '../store/openStore';
import { fetchRemoteStopDigest, HubNotConfirmed, type TransportFactory } from '../sync/remoteStopDigest';
import { localStopDigest } from './retention';

/**
 * Compares this laptop's digest of a stop with the one it fetches from HQ (or from the venue hub,
 * which vouches only with HQ's confirmation). Expected trouble (no HQ, offline, not equal) is a
 * state the purge screen explains, not an error.
 */
export async function checkStopPurge(store: Store, stopId: string, transportFor?: TransportFactory): Promise<PurgeCheck> {
  const { eventCount, digest } = localStopDigest(store.db, stopId);
  const local = { eventCount, digest };
  const purgedAt = store.db.prepare<[string], { at: string }>('SELECT MAX(at) AS at FROM stop_purges WHERE stop_id = ?').get(stopId)?.at ?? null;
  const base = { stopId, local, purgedAt };
  try {
    const remote = await fetchRemoteStopDigest(store, stopId, transportFor);
    const state =
      remote.eventCount === local.eventCount && remote.digest === local.digest
        ? 'equal'
        : local.eventCount > remote.eventCount
          ? 'laptop_has_more'
          : local.eventCount < remote.eventCount
            ? 'remote_has_more'
            : 'different';
    return { ...base, remote, state, errorCode: null };
  } catch (err) {
    if (err instanceof HubNotConfirmed) return { ...base, remote: null, state: 'hub_unconfirmed', errorCode: null };
    if (!(err instanceof AppError)) throw err;
    const state = err.code === 'SYNC_NOT_CONFIGURED' || err.code === 'SYNC_NOT_ENROLLED' ? 'not_connected' : err.code === 'SYNC_OFFLINE' ? 'unreachable' : 'error';
    return { ...base, remote: null, state, errorCode: err.code };
  }
}

/** The purge's proof: HQ's digest fetched here and equal to this laptop's, or the reason it is not. */
export async function requireHqConfirmation(store: Store, stopId: string, transportFor?: TransportFactory): Promise<{ stopId: string; eventCount: number; digest: string }> {
  const check = await checkStopPurge(store, stopId, transportFor);
  if (check.state === 'equal' && check.remote) return { stopId, eventCount: check.remote.eventCount, digest: check.remote.digest };
  if (check.state === 'not_connected') throw new AppError('SYNC_NOT_CONFIGURED', 'Connect this laptop to HQ (or the venue hub) first');
  if (check.state === 'unreachable') throw new AppError('SYNC_OFFLINE', 'HQ cannot be reached');
  throw new AppError('DIGEST_MISMATCH', `HQ's digest of ${stopId} does not match this laptop's (${check.state})`, {
    stopId,
    state: check.state,
    localCount: check.local.eventCount,
    hqCount: check.remote?.eventCount ?? null,
  });
}
