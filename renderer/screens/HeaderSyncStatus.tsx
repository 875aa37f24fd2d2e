import { Group } from '@mantine/core';
import { useEffect } from 'react';
import { HubStatusBadge } from '../components/HubStatusBadge';
import { SyncStatusBadge } from '../components/SyncStatusBadge';
import { hubConfigured, useHubStore } from '../state/hubStore';
import { useSyncStore } from '../state/syncStore';

const PROBE_MS = 60_000;
/** The hub's state changes with its auto-sync loop (every few seconds): read it often while one is set up. */
const HUB_MS = 5_000;

/** The header's connection badges: asks HQ whether it is reachable at start and every minute; the venue hub's state when one is set up. */
export function HeaderSyncStatus() {
  const status = useSyncStore((s) => s.status);
  const hub = useHubStore((s) => s.status);
  useEffect(() => {
    void useSyncStore.getState().load(true);
    const timer = setInterval(() => void useSyncStore.getState().load(true), PROBE_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    void useHubStore.getState().load();
    const timer = setInterval(() => {
      if (hubConfigured(useHubStore.getState().status)) void useHubStore.getState().load();
    }, HUB_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <Group gap="xs" wrap="nowrap">
      <SyncStatusBadge status={status} />
      <HubStatusBadge status={hub} />
    </Group>
  );
}
