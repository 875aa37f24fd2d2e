import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SyncProgress } from '../../shared/ipc/syncContract';

/** Bytes in the reader's language: "850 kB", "31.4 MB". */
export function formatBytes(bytes: number, language: string): string {
  const [unit, value] = bytes >= 1_000_000 ? (['megabyte', bytes / 1_000_000] as const) : (['kilobyte', bytes / 1_000] as const);
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** A remaining time in the reader's language: seconds under two minutes, whole minutes after. */
export function formatSeconds(seconds: number, language: string): string {
  return seconds < 120
    ? new Intl.NumberFormat(language, { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(Math.max(1, seconds))
    : new Intl.NumberFormat(language, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(Math.ceil(seconds / 60));
}

/**
 * The bar's position: the push (by bytes) is most of a sync after a day of work, the pull follows
 * (by HQ's log positions), the backup before and the digest check after are short.
 */
export function progressPercent(p: SyncProgress | null): number {
  if (!p || p.phase === 'prepare') return 2;
  if (p.phase === 'push') return 5 + (p.bytesToSend === 0 ? 55 : (55 * p.bytesSent) / p.bytesToSend);
  if (p.phase === 'pull') return 60 + (p.pullTotal === 0 ? 0 : (35 * p.pullDone) / p.pullTotal);
  return 97;
}

/** A running sync: a bar, what it is doing in events and bytes, and about how long the step still takes. */
export function SyncProgressView({ progress }: { progress: SyncProgress | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const p = progress;
  let line: string;
  if (!p || p.phase === 'prepare') line = t('syncFollow.preparing');
  else if (p.phase === 'push') line = t('syncFollow.pushing', { sent: p.sent, toSend: p.toSend, bytesSent: formatBytes(p.bytesSent, lang), bytesToSend: formatBytes(p.bytesToSend, lang) });
  else if (p.phase === 'pull')
    line = t('syncFollow.pulling', { received: p.received, bytes: formatBytes(p.bytesReceived, lang), percent: p.pullTotal === 0 ? 0 : Math.floor((100 * p.pullDone) / p.pullTotal) });
  else line = t('syncFollow.verifying');
  const eta = p && (p.phase === 'push' || p.phase === 'pull') ? (p.etaSeconds === null ? t('syncFollow.estimating') : p.etaSeconds === 0 ? null : t('syncFollow.eta', { time: formatSeconds(p.etaSeconds, lang) })) : null;
  return (
    <Stack gap={4}>
      <Progress value={progressPercent(p)} aria-label={t('hqSync.progressLabel')} animated />
      <Text size="sm" aria-live="polite">
        {line}
        {eta ? ` · ${eta}` : ''}
      </Text>
    </Stack>
  );
}
