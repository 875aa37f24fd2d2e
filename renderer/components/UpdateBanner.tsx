import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UpdateNotice } from './updateNotice';

/** The window's "new version" notice (above every screen); the update store decides when it shows. */
export function UpdateBanner(props: { notice: UpdateNotice; installing: boolean; error: string | null; onRestart: () => void; onLater: () => void }) {
  const { t } = useTranslation();
  const { notice } = props;
  const title =
    notice.kind === 'ready' ? t('updates.readyTitle', { version: notice.version }) : notice.kind === 'downloading' ? t('updates.downloadingTitle', { version: notice.version }) : t('updates.availableTitle', { version: notice.version });
  const body =
    notice.kind === 'ready' ? t('updates.readyBody') : notice.kind === 'downloading' ? t('updates.downloadingBody', { percent: notice.percent }) : t('updates.availableBody');
  return (
    <Paper role="region" aria-label={t('updates.bannerLabel')} withBorder radius="md" p="sm" mb="md" bg={notice.kind === 'ready' ? 'blue.0' : 'gray.0'}>
      <Group justify="space-between" wrap="nowrap" align="center">
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600} role="status">
            {title}
          </Text>
          <Text size="sm">{body}</Text>
          {notice.kind === 'downloading' && <Progress value={notice.percent} size="sm" mt={4} aria-label={title} />}
          {props.error && (
            <Text size="sm" c="red" role="alert">
              {props.error}
            </Text>
          )}
        </Stack>
        {notice.kind !== 'downloading' && (
          <Group gap="xs" wrap="nowrap">
            {notice.kind === 'ready' && (
              <Button onClick={props.onRestart} loading={props.installing}>
                {t('updates.restart')}
              </Button>
            )}
            <Button variant="default" onClick={props.onLater} disabled={props.installing}>
              {t('updates.later')}
            </Button>
          </Group>
        )}
      </Group>
    </Paper>
  );
}
