import { Alert, Badge, Box, Button, Card, Checkbox, Code, Group, Image, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubServeStatus } from '../../shared/ipc/hubContract';
import { DeviceId } from '../../shared/sync/hqProtocol';
import { errorMessage } from '../i18n/errorMessage';
import { formatRelative } from '../i18n/formatRelative';
import { upstreamErrorText } from '../i18n/hubErrorMessage';
import { useHubStore } from '../state/hubStore';
import { useSyncStore } from '../state/syncStore';
import { formatCount } from '../i18n/formatCount';

/** While the card is on screen the served hub's status (desks joined, link to HQ) is read this often. */
const HUB_SERVE_POLL_MS = 3_000;

/**
 * "Run the venue hub on this laptop" (issue #8), for the stop lead: start the hub (optionally linked
 * to HQ with a hub code), then what the desks need to join it (QR code, address, certificate
 * fingerprint, venue join code), how many joined, the hub's link to HQ, and stop.
 */
export function HubServeSection() {
  const { t, i18n } = useTranslation();
  const serve = useHubStore((s) => s.serve);
  const busy = useHubStore((s) => s.serveBusy);
  const error = useHubStore((s) => s.serveError);
  const done = useHubStore((s) => s.serveDone);
  const hqUrl = useSyncStore((s) => s.status?.hqUrl ?? null);
  const [upstreamCode, setUpstreamCode] = useState('');
  const [confirmStop, setConfirmStop] = useState(false);
  const [deleteData, setDeleteData] = useState(false);
  const [rejoinId, setRejoinId] = useState('');
  const [rejoin, setRejoin] = useState<{ deviceId: string; code: string } | null>(null);
  // The same rule the hub applies: said at the field, not as a general error.
  const rejoinInvalid = rejoinId.trim() !== '' && !DeviceId.safeParse(rejoinId.trim()).success;

  useEffect(() => {
    const poll = () => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') void useHubStore.getState().loadServe();
    };
    void useHubStore.getState().loadServe();
    // The HQ address the hub code links to (the HQ card's store; the Sync screen loads it too).
    if (useSyncStore.getState().status === null) void useSyncStore.getState().load();
    const timer = setInterval(poll, HUB_SERVE_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  async function start(e: FormEvent) {
    e.preventDefault();
    if (await useHubStore.getState().startServing(upstreamCode)) setUpstreamCode('');
  }
  async function link(e: FormEvent) {
    e.preventDefault();
    if (!upstreamCode.trim()) return;
    if (await useHubStore.getState().linkServing(upstreamCode)) setUpstreamCode('');
  }
  async function stop() {
    setConfirmStop(false);
    await useHubStore.getState().stopServing(deleteData);
    setDeleteData(false);
  }

  const lang = i18n.language;
  const fmt = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const when = (iso: string) => `${fmt(iso)} (${formatRelative(iso, Date.now(), lang)})`;

  const codeField = (
    <TextInput
      label={t('hubServe.upstreamCode')}
      description={
        <>
          {t('hubServe.upstreamCodeHelp')} {hqUrl ? t('hubServe.hqAddress', { url: hqUrl }) : t('hubServe.noHqAddress')}
        </>
      }
      placeholder="AAAA-BBBB-CCCC-DDDD"
      value={upstreamCode}
      onChange={(e) => setUpstreamCode(e.currentTarget.value)}
      autoComplete="off"
      spellCheck={false}
      maw={520}
    />
  );

  return (
    <Card withBorder component="section" aria-label={t('hubServe.title')}>
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('hubServe.title')}
          </Title>
          {serve?.serving && (
            <Badge color="green" variant="dot" size="lg">
              {t('hubServe.serving')}
            </Badge>
          )}
        </Group>

        {error != null && (
          <Alert color="red" role="alert" title={t('hubServe.failed')}>
            {errorMessage(t, error)}
          </Alert>
        )}
        {done && (
          <Text role="status" c="green">
            {t(done === 'start' ? 'hubServe.started' : done === 'link' ? 'hubServe.linked' : 'hubServe.stopped')}
          </Text>
        )}

        {serve && !serve.available && (
          <Alert color="gray" role="note" title={t('hubServe.unavailable')}>
            {t('errors.HUB_UNAVAILABLE')}
          </Alert>
        )}

        {serve?.available && !serve.serving && (
          <form onSubmit={start}>
            <Stack gap="sm">
              <Text>{t('hubServe.intro')}</Text>
              {codeField}
              <Group>
                <Button type="submit" loading={busy === 'start'}>
                  {t('hubServe.start')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}

        {serve?.available && serve.serving && <Serving serve={serve} when={when} fmt={fmt} />}

        {serve?.serving && serve.upstream && !serve.upstream.configured && (
          <form onSubmit={link}>
            <Stack gap="sm">
              {codeField}
              <Group>
                <Button type="submit" variant="light" loading={busy === 'link'} disabled={!upstreamCode.trim()}>
                  {t('hubServe.link')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}

        {serve?.serving && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setRejoin(null);
              if (rejoinId.trim()) void useHubStore.getState().rejoinCode(rejoinId.trim()).then(setRejoin);
            }}
          >
            <Group align="flex-end">
              <TextInput label={t('hubServe.rejoinId')} description={t('hubServe.rejoinHelp')} error={rejoinInvalid ? t('hubServe.rejoinInvalid') : undefined} value={rejoinId} onChange={(e) => setRejoinId(e.currentTarget.value)} autoComplete="off" spellCheck={false} styles={{ input: { fontFamily: 'monospace' } }} />
              <Button type="submit" variant="light" disabled={!rejoinId.trim() || rejoinInvalid}>
                {t('hubServe.rejoin')}
              </Button>
            </Group>
            {rejoin && (
              <Text role="status" mt="xs">
                {t('hubServe.rejoinMade', { deviceId: rejoin.deviceId })} <Code fz="lg">{rejoin.code}</Code>
              </Text>
            )}
          </form>
        )}

        {serve?.serving && (
          <Group>
            <Button variant="light" color="red" onClick={() => setConfirmStop(true)} loading={busy === 'stop'}>
              {t('hubServe.stop')}
            </Button>
          </Group>
        )}
      </Stack>

      <Modal opened={confirmStop} onClose={() => setConfirmStop(false)} title={t('hubServe.stopTitle')}>
        <Stack>
          <Text>{t('hubServe.stopText')}</Text>
          {serve?.upstream?.configured && serve.upstream.pending > 0 && <Text>{t('hubServe.stopPending', { pending: serve.upstream.pending })}</Text>}
          <Checkbox label={t('hubServe.deleteData')} description={t('hubServe.deleteDataHelp')} checked={deleteData} onChange={(e) => setDeleteData(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmStop(false)}>
              {t('hubServe.cancel')}
            </Button>
            <Button color="red" onClick={() => void stop()}>
              {t('hubServe.stopYes')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

/** A fingerprint that wraps only between its pairs (AB:CD:…), never inside one; its text stays the same. */
function withColonBreaks(fingerprint: string): ReactNode {
  return fingerprint.split(':').map((pair, i) => (
    <Fragment key={i}>
      {i > 0 && ':'}
      {i > 0 && <wbr />}
      {pair}
    </Fragment>
  ));
}

/** What the desks need to join, and the hub's state. */
function Serving({ serve, when, fmt }: { serve: HubServeStatus; when(iso: string): string; fmt(iso: string): string }) {
  const { t, i18n } = useTranslation();
  const joinCodeId = useId();
  const others = serve.addresses.filter((a) => a !== serve.address);
  const up = serve.upstream;
  return (
    <Stack>
      <Group align="flex-start" gap="lg" wrap="wrap">
        {serve.inviteQr && (
          <Stack gap={4} align="center" style={{ flex: '0 0 auto' }}>
            {/* White margin around the code: scanners need a quiet zone, also in dark mode. */}
            <Box bg="white" p={8} style={{ borderRadius: 4, lineHeight: 0 }}>
              <Image src={serve.inviteQr} alt={t('hubServe.qrAlt')} w={280} h={280} fit="contain" style={{ imageRendering: 'pixelated' }} />
            </Box>
            <Text size="xs" c="dimmed" maw={296} ta="center">
              {t('hubServe.scanHelp')}
            </Text>
          </Stack>
        )}
        <Stack gap="sm" style={{ flex: '1 1 300px', minWidth: 0 }}>
          <Stack gap={0}>
            <Text size="sm" fw={600} id={joinCodeId}>
              {t('hubServe.joinCode')}
            </Text>
            {/* Read aloud and typed by hand at the desks: large, on one line, letters told apart. */}
            <Text aria-labelledby={joinCodeId} ff="monospace" fz={30} fw={700} style={{ letterSpacing: '0.06em', whiteSpace: 'nowrap' }}>
              {serve.joinCode}
            </Text>
          </Stack>
          <Table aria-label={t('hubServe.details')} layout="fixed" styles={{ th: { verticalAlign: 'top', width: '38%' }, td: { overflowWrap: 'anywhere' } }}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('hubServe.address')}</Table.Th>
                <Table.Td>
                  <Code fz="md">{serve.address}</Code>
                </Table.Td>
              </Table.Tr>
              {serve.joinCodeExpiresAt && (
                <Table.Tr>
                  <Table.Th>{t('hubServe.expires')}</Table.Th>
                  <Table.Td>{fmt(serve.joinCodeExpiresAt)}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th>{t('hubServe.fingerprint')}</Table.Th>
                <Table.Td style={{ fontFamily: 'monospace', fontSize: 13 }}>{serve.fingerprint && withColonBreaks(serve.fingerprint)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('hubServe.desks')}</Table.Th>
                <Table.Td>{t('hubServe.desksValue', { count: serve.desks })}</Table.Td>
              </Table.Tr>
              {serve.hubId && (
                <Table.Tr>
                  <Table.Th>{t('hubServe.hubId')}</Table.Th>
                  <Table.Td>
                    <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {serve.hubId}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {others.length > 0 && (
                <Table.Tr>
                  <Table.Th>{t('hubServe.otherAddresses')}</Table.Th>
                  <Table.Td>
                    <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {others.join(' · ')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          {serve.invite && (
            <Stack gap={2}>
              <Text size="sm" fw={500}>
                {t('hubServe.invite')}
              </Text>
              <Code block aria-label={t('hubServe.invite')} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', userSelect: 'all' }}>
                {serve.invite}
              </Code>
            </Stack>
          )}
        </Stack>
      </Group>

      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('hubServe.upstream')}
        </Title>
        {up && !up.configured ? (
          <Text>{t('hubServe.upstreamNotConfigured')}</Text>
        ) : up ? (
          <Table aria-label={t('hubServe.upstream')} w="auto" styles={{ th: { whiteSpace: 'nowrap', verticalAlign: 'top' } }}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('hubServe.upstreamLastOk')}</Table.Th>
                <Table.Td>{up.lastOkAt ? when(up.lastOkAt) : t('hubServe.never')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('hubServe.upstreamPending')}</Table.Th>
                <Table.Td>{formatCount(up.pending, i18n.language)}</Table.Td>
              </Table.Tr>
              {up.lastErrorCode && (
                <Table.Tr>
                  <Table.Th>{t('hubServe.upstreamError')}</Table.Th>
                  <Table.Td>{upstreamErrorText(t, up.lastErrorCode)}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
    </Stack>
  );
}
