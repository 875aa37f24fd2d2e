import { Alert, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FingerprintInput } from '../components/FingerprintInput';
import { SyncProgressView } from '../components/SyncProgressView';
import type { SyncRun } from '../../shared/ipc/syncContract';
import { errorMessage } from '../i18n/errorMessage';
import { useAppStore } from '../state/appStore';
import { useNavStore } from '../state/navStore';
import { useCan } from '../state/permissions';
import { useSyncStore } from '../state/syncStore';
import { BundleSection } from './BundleSection';
import { HubSection } from './HubSection';
import { HubServeSection } from './HubServeSection';
import { StopCloseSection } from './StopCloseSection';
import { formatCount } from '../i18n/formatCount';

/** End-of-day sync with HQ: address, enrollment, sync now with progress and summary, digest check. */
export function SyncScreen() {
  const { t, i18n } = useTranslation();
  const info = useAppStore((s) => s.info);
  const refreshInfo = useAppStore((s) => s.refreshInfo);
  const sync = useSyncStore();
  // Connecting the laptop (HQ, serving a hub) is the stop lead's; syncing any desk's (issue #22).
  const configures = useCan('settings.configure');
  const syncs = useCan('sync.run');
  const [url, setUrl] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');

  useEffect(() => {
    void refreshInfo();
    void useSyncStore.getState().load();
  }, [refreshInfo]);
  // Arrived from "This desk has no tour yet": show the part of the screen the button named.
  const section = useNavStore((n) => n.syncSection);
  useEffect(() => {
    if (!section) return;
    document.getElementById(`sync-${section}`)?.scrollIntoView?.({ block: 'start' });
    useNavStore.getState().clearSyncSection();
  }, [section]);
  useEffect(() => {
    if (sync.status?.hqUrl && url === '') setUrl(sync.status.hqUrl);
  }, [sync.status?.hqUrl]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (sync.status?.certFingerprint && fingerprint === '') setFingerprint(sync.status.certFingerprint);
  }, [sync.status?.certFingerprint]); // eslint-disable-line react-hooks/exhaustive-deps

  const status = sync.status;
  const fmt = (iso: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const failure = (run: SyncRun) => t(`errors.${run.errorCode ?? 'INTERNAL'}`, { ...(run.errorDetails ?? {}) });
  const running = sync.busy === 'sync' || status?.running === true;

  async function saveUrl(e: FormEvent) {
    e.preventDefault();
    if (url.trim()) await sync.configure(url.trim(), fingerprint.trim());
  }
  async function enroll(e: FormEvent) {
    e.preventDefault();
    if (code.trim()) {
      await sync.enroll(code.trim(), label.trim());
      setCode('');
    }
  }

  return (
    <Stack maw={760}>
      <Title order={2}>{t('sync.title')}</Title>

      {sync.error != null && (
        <Alert color="red" role="alert" title={t('hqSync.failed')}>
          {errorMessage(t, sync.error)}
        </Alert>
      )}

      <div id="sync-hub">
        <HubSection />
      </div>
      {configures && <HubServeSection />}

      <Card withBorder component="section" aria-label={t('hqSync.connection')} id="sync-hq">
        <Stack>
          <Title order={3} size="h4">
            {t('hqSync.connection')}
          </Title>
          {!configures && <Text>{status?.hqUrl ? t('roleFit.hqAddress', { url: status.hqUrl }) : t('roleFit.hqLeadOnly')}</Text>}
          {configures && (
          <form onSubmit={saveUrl}>
            <Stack gap="sm">
              <TextInput label={t('hqSync.address')} description={t('hqSync.addressHelp')} placeholder="https://hq.example.org" value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
              <FingerprintInput label={t('hqPin.fingerprint')} description={t('hqPin.fingerprintHelp')} value={fingerprint} onChange={setFingerprint} />
              <Group>
                <Button type="submit" loading={sync.busy === 'configure'}>
                  {t('hqSync.saveAddress')}
                </Button>
              </Group>
            </Stack>
          </form>
          )}
          {sync.done === 'configure' && <Text role="status" c="green">{t('hqSync.addressSaved')}</Text>}
          {status?.certFingerprint && (
            <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {t('hqPin.pinned', { fingerprint: status.certFingerprint })}
            </Text>
          )}
          <Text>{status?.enrolled ? t('hqSync.enrolled') : t('hqSync.notEnrolled')}</Text>
          {configures && status?.hqUrl && (
            <form onSubmit={enroll}>
              <Group align="flex-end">
                <TextInput label={t('hqSync.code')} description={t('hqSync.codeHelp')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="off" />
                <TextInput label={t('hqSync.label')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
                <Button type="submit" variant={status.enrolled ? 'default' : 'filled'} loading={sync.busy === 'enroll'}>
                  {status.enrolled ? t('hqSync.reenroll') : t('hqSync.enroll')}
                </Button>
              </Group>
            </form>
          )}
          {sync.done === 'enroll' && <Text role="status" c="green">{t('hqSync.enrolledNow')}</Text>}
        </Stack>
      </Card>

      <Card withBorder component="section" aria-label={t('hqSync.syncSection')}>
        <Stack>
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('hqSync.syncSection')}
            </Title>
            {syncs && (
              <Button onClick={() => void sync.syncNow()} loading={running} disabled={!status?.enrolled}>
                {t('hqSync.syncNow')}
              </Button>
            )}
          </Group>
          {running && <SyncProgressView progress={status?.progress ?? null} />}
          {sync.result && (
            <Alert color={sync.result.conflicts > 0 ? 'orange' : 'green'} role="status" title={t('hqSync.done')}>
              <Text>{t('hqSync.summary', { sent: sync.result.sent, received: sync.result.received, conflicts: sync.result.conflicts })}</Text>
              {sync.result.conflicts > 0 && <Text size="sm">{t('hqSync.conflictsHint')}</Text>}
            </Alert>
          )}
          <Table w="auto" aria-label={t('hqSync.syncSection')}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('hqSync.lastSuccess')}</Table.Th>
                <Table.Td>
                  {status?.lastSuccess
                    ? `${fmt(status.lastSuccess.at)} · ${t('hqSync.summary', { sent: status.lastSuccess.sent, received: status.lastSuccess.received, conflicts: status.lastSuccess.conflicts })}`
                    : t('hqSync.never')}
                </Table.Td>
              </Table.Tr>
              {status?.lastRun && !status.lastRun.ok && (
                <Table.Tr>
                  <Table.Th>{t('hqSync.lastFailure')}</Table.Th>
                  <Table.Td>
                    {fmt(status.lastRun.at)} · {failure(status.lastRun)}
                  </Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th>{t('sync.unsynced')}</Table.Th>
                {/* The header's figure (one field, appStore): every sync status that arrives sets it. */}
                <Table.Td>{info?.unsyncedCount ?? status?.unsynced ?? 0}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {!syncs && <Text size="sm" c="dimmed">{t('roleFit.syncNotYours')}</Text>}
          {syncs && (
          <Group>
            <Button variant="default" onClick={() => void sync.checkDigest()} loading={sync.busy === 'digest'} disabled={!status?.enrolled}>
              {t('hqSync.digestCheck')}
            </Button>
            {sync.digest && (
              <Text role="status" c={sync.digest.ok ? 'green' : 'orange'}>
                {sync.digest.ok ? t('hqSync.digestOk', { count: sync.digest.localCount }) : t('hqSync.digestMissing', { hqCount: sync.digest.hqCount, localCount: sync.digest.localCount })}
              </Text>
            )}
          </Group>
          )}
        </Stack>
      </Card>

      {info && (
        <Table aria-label={t('hqSync.thisLaptop')} w="auto">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th>{t('sync.deviceId')}</Table.Th>
              <Table.Td>
                <Code>{info.deviceId}</Code>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('sync.events')}</Table.Th>
              <Table.Td>{formatCount(info.eventCount, i18n.language)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('sync.dataDir')}</Table.Th>
              <Table.Td>
                <Code>{info.dataDir}</Code>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}

      <div id="sync-bundle">
        <BundleSection />
      </div>
      {syncs && <StopCloseSection />}
    </Stack>
  );
}
