import { Alert, Badge, Button, Card, Code, Group, Modal, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FingerprintInput } from '../components/FingerprintInput';
import { parseHubInvite } from '../../shared/sync/hubInvite';
import { CameraScanner } from '../components/CameraScanner';
import { formatRelative } from '../i18n/formatRelative';
import { hubErrorMessage, hubErrorText, upstreamErrorText } from '../i18n/hubErrorMessage';
import { useAppStore } from '../state/appStore';
import { HUB_STATE_COLOR, hubLinkState } from '../components/hubLinkState';
import { useHubStore } from '../state/hubStore';
import { formatCount } from '../i18n/formatCount';
import { useCan } from '../state/permissions';

/** While the section is on screen the hub's status is read this often (auto sync runs in the core). */
const HUB_STATUS_POLL_MS = 2_000;

/**
 * The venue hub on the Sync screen: join it (typed, pasted or scanned invite), then its state, the
 * automatic sync switch, what is still to send, what arrived from the other desks, the hub's own
 * link to HQ, "sync now" and "forget".
 */
export function HubSection() {
  const { t, i18n } = useTranslation();
  const hub = useHubStore();
  const deskName = useAppStore((s) => s.settings?.deskName ?? '');
  const [url, setUrl] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [code, setCode] = useState('');
  const [label, setLabel] = useState(deskName);
  const [invite, setInvite] = useState('');
  const [inviteState, setInviteState] = useState<'filled' | 'invalid' | null>(null);
  const [cameraOpen, setCameraOpen] = useState(false);
  const [confirmForget, setConfirmForget] = useState(false);
  const autoHelpId = useId();
  const status = hub.status;
  const connected = status?.hubUrl != null;
  // Joining and forgetting the hub is the stop lead's; syncing and the automatic loop any desk's (issue #22).
  const configures = useCan('settings.configure');
  const syncs = useCan('sync.run');

  useEffect(() => {
    void useHubStore.getState().load();
    const timer = setInterval(() => void useHubStore.getState().load(), HUB_STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (deskName && label === '') setLabel(deskName);
  }, [deskName]); // eslint-disable-line react-hooks/exhaustive-deps
  // Joined halfway (address saved, no code yet): the join form starts from what the desk already has.
  useEffect(() => {
    if (status?.hubUrl && url === '') setUrl(status.hubUrl);
    if (status?.certFingerprint && fingerprint === '') setFingerprint(status.certFingerprint);
  }, [status?.hubUrl, status?.certFingerprint]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Fills address, fingerprint and code from a pasted or scanned invite; false when the text is not one. */
  function applyInvite(text: string): boolean {
    const parsed = parseHubInvite(text);
    if (!parsed) {
      setInviteState(text.trim() ? 'invalid' : null);
      return false;
    }
    setUrl(parsed.url);
    setFingerprint(parsed.certFingerprint ?? '');
    setCode(parsed.code ?? '');
    setInviteState('filled');
    return true;
  }

  async function connect(e: FormEvent) {
    e.preventDefault();
    if (!url.trim()) return;
    const ok = await hub.connect({ url, certFingerprint: fingerprint, code, label });
    if (ok) {
      setCode('');
      setInvite('');
      setInviteState(null);
    }
  }

  async function forget() {
    setConfirmForget(false);
    await hub.forget();
    setUrl('');
    setFingerprint('');
    setCode('');
  }

  const lang = i18n.language;
  const fmt = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
  const when = (iso: string) => `${fmt(iso)} (${formatRelative(iso, Date.now(), lang)})`;

  const joinForm = (
    <form onSubmit={connect}>
      <Stack gap="sm">
        <TextInput label={t('hub.address')} description={t('hub.addressHelp')} placeholder="https://192.168.1.20:8470" value={url} onChange={(e) => setUrl(e.currentTarget.value)} autoComplete="off" spellCheck={false} />
        <FingerprintInput label={t('hub.fingerprint')} description={t('hub.fingerprintHelp')} value={fingerprint} onChange={setFingerprint} />
        <Group grow align="flex-end">
          <TextInput label={t('hub.code')} description={t('hub.codeHelp')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="off" spellCheck={false} />
          <TextInput label={t('hub.label')} description={t('hub.labelHelp')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
        </Group>
        <Group>
          <Button type="submit" loading={hub.busy === 'connect'} disabled={!url.trim()}>
            {connected ? t('hub.joinAgain') : t('hub.connect')}
          </Button>
        </Group>
      </Stack>
    </form>
  );

  return (
    <Card withBorder component="section" aria-label={t('hub.title')}>
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('hub.title')}
          </Title>
          {status && connected && (
            <Badge color={HUB_STATE_COLOR[hubLinkState(status)]} variant="dot" size="lg">
              {t(`hub.state.${hubLinkState(status)}`)}
            </Badge>
          )}
        </Group>

        {hub.error != null && (
          <Alert color="red" role="alert" title={t('hub.failed')}>
            {hubErrorMessage(t, hub.error)}
          </Alert>
        )}
        {hub.done === 'connect' && status?.online !== false && (
          <Text role="status" c="green">
            {t('hub.connected')}
          </Text>
        )}
        {hub.done === 'forget' && (
          <Text role="status" c="green">
            {t('hub.forgotten')}
          </Text>
        )}

        {!connected && !configures && <Text>{t('roleFit.hubLeadOnly')}</Text>}
        {!connected && configures && (
          <>
            <Text>{t('hub.intro')}</Text>
            <Textarea
              label={t('hub.invite')}
              description={t('hub.inviteHelp')}
              placeholder={t('hub.invitePlaceholder')}
              value={invite}
              onChange={(e) => {
                setInvite(e.currentTarget.value);
                applyInvite(e.currentTarget.value);
              }}
              error={inviteState === 'invalid' ? t('hub.inviteInvalid') : undefined}
              autosize
              minRows={3}
              maxRows={5}
              spellCheck={false}
              styles={{ input: { fontFamily: 'monospace' } }}
            />
            {inviteState === 'filled' && (
              <Text role="status" c="green" size="sm">
                {t('hub.inviteFilled')}
              </Text>
            )}
            <Group>
              <Button variant="light" onClick={() => setCameraOpen((o) => !o)} aria-pressed={cameraOpen}>
                {t('hub.scan')}
              </Button>
            </Group>
            {cameraOpen && (
              <CameraScanner
                onCode={(text) => {
                  if (applyInvite(text)) {
                    setInvite(text);
                    setCameraOpen(false);
                  }
                }}
                onClose={() => setCameraOpen(false)}
              />
            )}
            {joinForm}
          </>
        )}

        {status && connected && (
          <>
            {hub.serve?.serving && status.hubUrl?.startsWith('https://127.0.0.1:') && <Text c="dimmed">{t('hubServe.ownDesk')}</Text>}
            <Table aria-label={t('hub.statusTable')} styles={{ th: { whiteSpace: 'nowrap', verticalAlign: 'top' } }}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th>{t('hub.addressRow')}</Table.Th>
                  <Table.Td>
                    <Code>{status.hubUrl}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('hub.pinnedRow')}</Table.Th>
                  <Table.Td style={{ wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 13 }}>{status.certFingerprint ?? t('hub.noPin')}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('hub.stateRow')}</Table.Th>
                  <Table.Td>{t(`hub.state.${hubLinkState(status)}`)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('hub.lastSuccess')}</Table.Th>
                  <Table.Td>{status.lastSuccess ? when(status.lastSuccess.at) : t('hub.never')}</Table.Td>
                </Table.Tr>
                {status.lastRun && !status.lastRun.ok && (
                  <Table.Tr>
                    <Table.Th>{t('hub.lastFailure')}</Table.Th>
                    <Table.Td>
                      {when(status.lastRun.at)} · {hubErrorText(t, status.lastRun.errorCode, status.lastRun.errorDetails)}
                    </Table.Td>
                  </Table.Tr>
                )}
                <Table.Tr>
                  <Table.Th>{t('hub.unsynced')}</Table.Th>
                  <Table.Td>{formatCount(status.unsynced, i18n.language)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('hub.received')}</Table.Th>
                  <Table.Td>{formatCount(status.receivedSinceStart, i18n.language)}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>

            {status.enrolled ? (
              syncs && (
              <Stack gap={4}>
                <Switch label={t('hub.auto')} aria-describedby={autoHelpId} checked={status.auto} disabled={hub.busy === 'auto'} onChange={(e) => void hub.setAuto(e.currentTarget.checked)} />
                <Text id={autoHelpId} size="sm" c="dimmed">
                  {t('hub.autoHelp')}
                </Text>
              </Stack>
              )
            ) : (
              <>
                <Text>{t('hub.notEnrolled')}</Text>
                {configures ? joinForm : <Text>{t('roleFit.hubLeadOnly')}</Text>}
              </>
            )}

            <Stack gap="xs">
              <Title order={4} size="h5">
                {t('hub.upstream')}
              </Title>
              {!status.upstream ? (
                <Text c="dimmed">{t('hub.upstreamUnknown')}</Text>
              ) : !status.upstream.configured ? (
                <Text>{t('hub.upstreamNotConfigured')}</Text>
              ) : (
                <Table aria-label={t('hub.upstream')} styles={{ th: { whiteSpace: 'nowrap', verticalAlign: 'top' } }}>
                  <Table.Tbody>
                    <Table.Tr>
                      <Table.Th>{t('hub.upstreamLastOk')}</Table.Th>
                      <Table.Td>{status.upstream.lastOkAt ? when(status.upstream.lastOkAt) : t('hub.never')}</Table.Td>
                    </Table.Tr>
                    <Table.Tr>
                      <Table.Th>{t('hub.upstreamPending')}</Table.Th>
                      <Table.Td>{status.upstream.pending}</Table.Td>
                    </Table.Tr>
                    {status.upstream.lastErrorCode && (
                      <Table.Tr>
                        <Table.Th>{t('hub.upstreamError')}</Table.Th>
                        <Table.Td>{upstreamErrorText(t, status.upstream.lastErrorCode)}</Table.Td>
                      </Table.Tr>
                    )}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>

            {hub.result && hub.done === 'sync' && (
              <Text role="status" c={hub.result.conflicts > 0 ? 'orange' : 'green'}>
                {t('hub.syncDone', { sent: hub.result.sent, received: hub.result.received, conflicts: hub.result.conflicts })}
              </Text>
            )}
            {(syncs || configures) && (
              <Group>
                {syncs && (
                  <Button onClick={() => void hub.syncNow()} loading={hub.busy === 'sync'} disabled={!status.enrolled}>
                    {t('hub.syncNow')}
                  </Button>
                )}
                {configures && (
                  <Button variant="light" color="red" onClick={() => setConfirmForget(true)} loading={hub.busy === 'forget'}>
                    {t('hub.forget')}
                  </Button>
                )}
              </Group>
            )}
            {!syncs && <Text size="sm" c="dimmed">{t('roleFit.syncNotYours')}</Text>}
          </>
        )}
      </Stack>

      <Modal opened={confirmForget} onClose={() => setConfirmForget(false)} title={t('hub.forgetTitle')}>
        <Stack>
          <Text>{t('hub.forgetText', { url: status?.hubUrl ?? '', unsynced: status?.unsynced ?? 0 })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmForget(false)}>
              {t('hub.cancel')}
            </Button>
            <Button color="red" onClick={() => void forget()}>
              {t('hub.forgetYes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
