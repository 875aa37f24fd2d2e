import { useEffect } from 'react';
import { SyncStatusBadge } from '../components/SyncStatusBadge';
import { useSyncStore } from '../state/syncStore';

const PROBE_MS = 60_000;

/** The header's connection badge: asks HQ whether it is reachable at start and every minute. */
export function HeaderSyncStatus() {
  const status = useSyncStore((s) => s.status);
  useEffect(() => {
    void useSyncStore.getState().load(true);
    const timer = setInterval(() => void useSyncStore.getState().load(true), PROBE_MS);
    return () => clearInterval(timer);
  }, []);
  return <SyncStatusBadge status={status} />;
}
