import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HubStatus } from '../../shared/ipc/hubContract';
import { HUB_STATE_COLOR, hubLinkState } from './hubLinkState';

/** The header's compact "Hub ●": shown only while a venue hub is set up, green online, red offline. */
export function HubStatusBadge({ status }: { status: HubStatus | null }) {
  const { t } = useTranslation();
  if (!status?.hubUrl) return null;
  const state = hubLinkState(status);
  return (
    <Badge
      role="status"
      aria-label={`${t('hub.badgeLabel')}: ${t(`hub.state.${state}`)}`}
      title={`${t('hub.badgeLabel')}: ${t(`hub.state.${state}`)} · ${status.hubUrl}`}
      color={HUB_STATE_COLOR[state]}
      variant="dot"
      size="lg"
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {t('hub.badgeShort')}
    </Badge>
  );
}
