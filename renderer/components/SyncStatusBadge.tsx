import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../shared/ipc/syncContract';

/** The header's "where this laptop stands with HQ": online, offline, or not set up. */
export function SyncStatusBadge({ status }: { status: SyncStatus | null }) {
  const { t } = useTranslation();
  const state = !status?.hqUrl || !status.enrolled ? 'notConfigured' : status.online === false ? 'offline' : status.online ? 'online' : 'unknown';
  const color = state === 'online' ? 'green' : state === 'offline' ? 'red' : 'gray';
  return (
    <Badge
      role="status"
      aria-label={`${t('hqSync.statusLabel')}: ${t(`hqSync.state.${state}`)}`}
      title={t(`hqSync.state.${state}`)}
      color={color}
      variant="dot"
      size="lg"
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {t(`hqSync.stateShort.${state}`)}
    </Badge>
  );
}
