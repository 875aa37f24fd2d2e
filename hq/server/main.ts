import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { issueEnrollmentCode } from './auth';
import { buildHqApp } from './hqApp';
import { openHqRuntime, type HqRuntime } from './hqRuntime';
import { HubUpstream } from './hub/hubUpstream';
import { AppError } from '../../shared/errors';
import type { EventEnvelope } from '../../shared/events/envelope';
import { existsSync } from 'node:fs';
import { keyFilePath, loadOrCreateKeyFile, readKeyFile } from '../../core/host/keyFile';
import { issueVenueJoinCode, venueInvite } from './hub/venueJoin';
import { importEvents } from './importEvents';
import { collectAfterSyncBursts } from './idleGc';
import { ADMIN_USAGE, adminStoreFile, runAdminCommand } from './admin/adminCli';
import { PROGRAM_CLI_OPTIONS, PROGRAM_USAGE, runProgramCommand } from './admin/programCli';
import { runTourCommand, TOUR_CLI_OPTIONS, TOUR_USAGE } from './admin/tourCli';
import { AdminStore } from './admin/adminStore';
import QRCode from 'qrcode';
import type { DashboardDeps } from './dashboard/dashboardRoutes';
import { publicBaseUrl, type SelfBookingDeps } from './selfBooking/selfBookingRoutes';
import { lanAddresses, loadOrCreateSelfSigned, loadTls, pinText, terminalQr, type TlsMaterial } from './tls';
import { HqActions } from './admin/hqActions';
import { MAIL_DEFAULTS, MailService, redactSmtp, type MailConfig } from './mail/mailService';

const USAGE = `Roadshow Desk HQ server

  npm run hq [-- serve] [--port 8470] [--host 127.0.0.1] [--tls-key key.pem --tls-cert cert.pem | --self-signed]
      --tls-cert/--tls-key (or HQ_TLS_CERT/HQ_TLS_KEY): serve HTTPS with this certificate
      --self-signed (or HQ_SELF_SIGNED=1): a venue hub's own certificate, made once in the data folder;
        desks pin its SHA-256 fingerprint, printed (and as a QR code) at start
      --public-url URL (or HQ_PUBLIC_URL): HQ's address as attendees reach it (https://hq.example.org), the base of
        the links in their emails (self-booking: URL/book/<signed link>)
      --trust-proxy ADDR[,CIDR] (or HQ_TRUST_PROXY): behind a TLS-terminating reverse proxy at these addresses,
        believe its X-Forwarded-For/-Proto (client address for rate limits, Secure dashboard cookies)
      Attendee messages (docs/messages.md):
      --smtp-url smtp[s]://user:pass@host:port (or HQ_SMTP_URL): send them; unset, they are planned and queued
      --mail-from "Roadshow <roadshow@example.org>" (or HQ_MAIL_FROM)
      --public-url https://hq.example.org (or HQ_PUBLIC_URL): HQ's address as attendees reach it (links in messages)
      --mail-rate N (or HQ_MAIL_RATE): messages a minute at most (default ${MAIL_DEFAULTS.ratePerMinute})
      --reminder-minutes N (or HQ_MAIL_REMINDER_MINUTES): a booking's reminder this long before it (default ${MAIL_DEFAULTS.reminderMinutes})
  npm run hq -- --hub [--port 8470] [--host 0.0.0.0] [--upstream https://hq.example.org [--upstream-pin FP] [--upstream-code CODE]]
      a venue hub: the same server on one laptop at the venue (own data folder ./hub-data, self-signed
      certificate, a venue join code for the desks, shown with address and fingerprint as a QR code);
      desks sync with it every few seconds; it relays their events to HQ and brings HQ's to them
      (enroll it once with a code from HQ's  enroll-code --hub; afterwards --upstream is remembered)
  npm run hq -- enroll-code [--label "Desk A, Boston"] [--device <id> (re-enroll)] [--hours 72] [--uses 1] [--hub]
  npm run hq -- revoke <device-id>
  npm run hq -- devices
  npm run hq -- seed-demo          (the demo tour as HQ master data, for laptops to pull; also done by itself
                                    when a desk on the demo enrolls)
${ADMIN_USAGE}

Tour planning (the same handlers as the dashboard's Tour plan pages; desks receive it by sync):
${TOUR_USAGE}
${PROGRAM_USAGE}

  --data-dir DIR   HQ's folder (default ./hq-data, or HQ_DATA_DIR)
  DATABASE_URL     use PostgreSQL for the events instead of SQLite in the data folder`;

/** The demo tour's events, exactly as a desk seeds them on first start (same data, same defaults, same ids). */
function demoTourEvents(): EventEnvelope[] {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return buildDemoEvents(loadDemoData(path.join(root, 'resources')));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      label: { type: 'string' },
      device: { type: 'string' },
      hours: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'trust-key': { type: 'boolean' },
      'self-signed': { type: 'boolean' },
      hub: { type: 'boolean' },
      uses: { type: 'string' },
      upstream: { type: 'string' },
      'upstream-pin': { type: 'string' },
      'upstream-code': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'smtp-url': { type: 'string' },
      'mail-from': { type: 'string' },
      'public-url': { type: 'string' },
      'mail-rate': { type: 'string' },
      'reminder-minutes': { type: 'string' },
      ...TOUR_CLI_OPTIONS,
      ...PROGRAM_CLI_OPTIONS,
    },
  });
  if (values.help) return void console.log(USAGE);
  const command = positionals[0] ?? 'serve';
  const asHub = command === 'serve' && values.hub === true;
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HQ_DATA_DIR ?? (asHub ? 'hub-data' : 'hq-data'));
  // A hub keeps its log in SQLite in its own folder (a laptop at the venue), whatever DATABASE_URL says,
  // encrypted (SQLCipher) with a key file beside it; any command on a folder holding a key file uses it.
  const key = folderKey(dataDir, asHub);
  const hq = await openHqRuntime({ dataDir, databaseUrl: asHub ? undefined : process.env.DATABASE_URL || undefined, key, foldThread: command === 'serve' });

  switch (command) {
    case 'enroll-code': {
      const hours = values.hours ? Number(values.hours) : 72;
      if (!Number.isFinite(hours) || hours <= 0) throw new Error('--hours must be a positive number');
      const uses = values.uses ? Number(values.uses) : 1;
      if (!Number.isInteger(uses) || uses < 1 || uses > 1000) throw new Error('--uses must be a whole number from 1 to 1000');
      const role = values.hub ? 'hub' : 'desk';
      const { code, expiresAt } = await issueEnrollmentCode(hq.storage, { label: values.label ?? '', deviceId: values.device ?? null, validHours: hours, role, uses });
      console.log(`Enrollment code: ${code}${role === 'hub' ? ' (for a venue hub)' : ''}`);
      console.log(`Valid ${uses === 1 ? 'once' : `for ${uses} devices`}, until ${expiresAt}. ${role === 'hub' ? 'Start the hub with --upstream <HQ address> --upstream-code <code>.' : "Type it on the laptop's Sync screen."}`);
      return hq.close();
    }
    case 'revoke': {
      const id = positionals[1];
      if (!id) throw new Error('Usage: npm run hq -- revoke <device-id>');
      const done = await hq.storage.revokeDevice(id, new Date().toISOString());
      console.log(done ? `Revoked ${id}: its token is refused from now on.` : `No active device ${id}.`);
      await hq.close();
      if (!done) process.exitCode = 1;
      return;
    }
    case 'devices': {
      for (const d of await hq.storage.listDevices()) {
        console.log(`${d.deviceId}\t${d.role}\t${d.label || '-'}\tenrolled ${d.enrolledAt}\t${d.revokedAt ? `revoked ${d.revokedAt}` : 'active'}\tevents ${d.ackedSeq}`);
      }
      return hq.close();
    }
    case 'seed-demo': {
      const report = await importEvents(hq.storage, demoTourEvents());
      await hq.projections.catchUp();
      console.log(`Demo tour: ${report.added} events added, ${report.duplicates} already held.`);
      return hq.close();
    }
    case 'serve': {
      if (asHub) return serveHub(values, dataDir, hq, key);
      const host = values.host ?? '127.0.0.1';
      const tls = serverTls(values, dataDir, host);
      const https = tls ? { key: tls.key, cert: tls.cert } : undefined;
      const trustProxy = values['trust-proxy'] ?? process.env.HQ_TRUST_PROXY ?? undefined;
      const publicUrl = publicBaseUrl(values['public-url']);
      if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new Error('--public-url must be an http(s) address, e.g. https://hq.example.org');
      const listenPort = values.port ? Number(values.port) : 8470;
      // One queue for HQ's own events, whichever part decides (dashboard, self-booking, messages).
      const actions = new HqActions(hq.projections.store, hq.storage, dataDir);
      const mail = new MailService({ dataDir, store: hq.projections.store, actions, key, config: mailConfig(values, `${https ? 'https' : 'http'}://${host}:${listenPort}`) });
      const dashboard: DashboardDeps = { storage: hq.storage, projections: hq.projections, admin: new AdminStore(adminStoreFile(dataDir)), dataDir, secureCookies: Boolean(https), leads: hq.leads, mail, actions, ...(publicUrl ? { publicUrl } : {}) };
      const selfBooking: SelfBookingDeps = { storage: hq.storage, projections: hq.projections, dataDir, publicUrl, actions };
      const app = buildHqApp({ storage: hq.storage, projections: hq.projections, https, dashboard, selfBooking, mail, demoEvents: demoTourEvents, ...(trustProxy ? { trustProxy } : {}) });
      collectAfterSyncBursts(app);
      await hq.projections.catchUp(); // events accepted before a crash but not yet projected
      await app.listen({ host, port: listenPort });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      // No --public-url: the links name the address HQ listens on (its real port, when started with --port 0).
      if (!values['public-url'] && !process.env.HQ_PUBLIC_URL) mail.planner.setPublicUrl(`${https ? 'https' : 'http'}://${host}:${port}`);
      mail.start();
      console.log(`HQ data folder: ${dataDir}`);
      console.log(`HQ events: ${hq.describe}`);
      console.log(`HQ listening on ${https ? 'https' : 'http'}://${host}:${port}`);
      console.log(`HQ dashboard: ${https ? 'https' : 'http'}://${host}:${port}/dashboard (admins: npm run hq -- add-admin <email>); institutions' portal: /portal`);
      console.log(`Self-booking links: ${publicUrl ?? `${https ? 'https' : 'http'}://${host}:${port}`}/book/<signed link>${publicUrl ? '' : ' (set --public-url to the address attendees reach)'}`);
      console.log(mail.config.smtpUrl ? `HQ attendee messages: sending through ${redactSmtp(mail.config.smtpUrl)}, at most ${mail.config.ratePerMinute} a minute; links to ${mail.config.publicUrl}` : 'HQ attendee messages: sending is off (no --smtp-url); messages are queued.');
      if (tls) {
        const shown = host === '0.0.0.0' || host === '::' ? (lanAddresses()[0] ?? '127.0.0.1') : host;
        const address = `https://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
        console.log(`HQ certificate SHA-256: ${tls.fingerprint}${tls.created ? ' (new)' : ''}`);
        if (tls.selfSigned) {
          // The dashboard's enrollment page shows the same (read per request, so set after listening).
          dashboard.hubPin = { address, fingerprint: tls.fingerprint, qrDataUrl: await QRCode.toDataURL(pinText(address, tls.fingerprint), { errorCorrectionLevel: 'L', margin: 2, width: 400 }) };
          console.log(`Desks: on the Sync screen enter the address ${address} and this fingerprint (or scan the code):`);
          console.log(await terminalQr(pinText(address, tls.fingerprint)));
        }
      }
      if (!https && host !== '127.0.0.1' && host !== 'localhost') console.log('Laptops refuse plain http to a non-loopback host: put HQ behind TLS (--tls-key/--tls-cert or a proxy).');
      const stop = async (): Promise<void> => {
        await mail.stop();
        await app.close();
        mail.close();
        await hq.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    default: {
      const tourExit = (await runProgramCommand(command, positionals.slice(1), values, hq)) ?? (await runTourCommand(command, positionals.slice(1), values, hq));
      if (tourExit !== null) {
        await hq.close();
        process.exitCode = tourExit;
        return;
      }
      if (await runAdminCommand(command, positionals.slice(1), values, hq)) return hq.close();
      await hq.close();
      console.error(USAGE);
      process.exitCode = 2;
    }
  }
}

/**
 * A venue hub (docs/venue-hub.md): the same server, serving the desks over the hall's LAN with its
 * own certificate and a venue join code, and relaying to HQ when `--upstream` is (or was) given.
 * No dashboard here: HQ's decisions are HQ's, and they reach the venue through the relay.
 */
async function serveHub(values: HubValues, dataDir: string, hq: HqRuntime, key: Buffer | undefined): Promise<void> {
  const host = values.host ?? '0.0.0.0';
  const tls = serverTls({ ...values, 'self-signed': values['tls-cert'] ? values['self-signed'] : true }, dataDir, host);
  const https = tls ? { key: tls.key, cert: tls.cert } : undefined;
  const upstream = new HubUpstream(hq.storage, path.join(dataDir, 'hub-upstream.sqlite'), { onImported: () => hq.projections.kick(), key });
  if (values.upstream) {
    try {
      await upstream.connect({ url: values.upstream, certFingerprint: values['upstream-pin'] ?? null, code: values['upstream-code'] ?? null, label: values.label ?? 'venue hub' });
      console.log(`Hub → HQ: ${upstream.url}${values['upstream-code'] ? ' (enrolled)' : ''}`);
    } catch (err) {
      // The venue must work without HQ: serve the desks anyway, and say loudly what failed.
      console.error(`!! Could not set up the link to HQ (${err instanceof AppError ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}). Serving the desks without it.`);
    }
  }
  const app = buildHqApp({ storage: hq.storage, projections: hq.projections, https, hub: { upstreamHealth: () => upstream.health(), hqStopDigest: (stopId) => upstream.stopDigest(stopId) } });
  collectAfterSyncBursts(app);
  await hq.projections.catchUp();
  await app.listen({ host, port: values.port ? Number(values.port) : 8470 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? (lanAddresses()[0] ?? '127.0.0.1') : host;
  const address = `${https ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
  // One code for every desk of the day: whoever sees this screen at the venue may join.
  let join = await issueVenueJoinCode(hq.storage);
  const invite = (await venueInvite(address, tls?.selfSigned ? tls.fingerprint : null, join.code)).text;
  console.log(`Hub data folder: ${dataDir}${key ? ' (encrypted; key in roadshow.key, owner-only)' : ''}`);
  console.log(`Hub listening on ${address}`);
  if (tls) console.log(`Hub certificate SHA-256: ${tls.fingerprint}${tls.created ? ' (new)' : ''}`);
  console.log(`Venue join code: ${join.code} (valid until ${join.expiresAt})`);
  console.log(upstream.configured ? `Relaying to HQ at ${upstream.url} every few seconds while it answers.` : 'No HQ link yet: events stay here until the hub is started with --upstream <HQ address> --upstream-code <code from HQ>.');
  console.log("Desks: on the Sync screen under Venue hub, scan this code or enter the address, fingerprint and join code:");
  console.log(await terminalQr(invite));
  console.log(`Hub invite: ${JSON.stringify(invite)}`);
  console.log(`This hub's id at HQ: ${upstream.deviceId} (to re-link it, HQ makes: npm run hq -- enroll-code --hub --device ${upstream.deviceId})`);
  upstream.start();
  // A hub left running for days shows a fresh join code before the old one expires.
  const renew = setInterval(() => {
    if (Date.parse(join.expiresAt) - Date.now() > 3600_000) return;
    void issueVenueJoinCode(hq.storage).then(async (next) => {
      join = next;
      const text = (await venueInvite(address, tls?.selfSigned ? tls.fingerprint : null, join.code)).text;
      console.log(`New venue join code: ${join.code} (valid until ${join.expiresAt})`);
      console.log(await terminalQr(text));
    });
  }, 10 * 60_000);
  renew.unref();
  const stop = async (): Promise<void> => {
    await upstream.stop();
    await app.close();
    upstream.close();
    await hq.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** The attendee messages' settings from the flags, else the environment, else the defaults (docs/messages.md). */
function mailConfig(values: { 'smtp-url'?: string; 'mail-from'?: string; 'public-url'?: string; 'mail-rate'?: string; 'reminder-minutes'?: string }, ownUrl: string): MailConfig {
  const whole = (name: string, text: string | undefined, fallback: number, max: number): number => {
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  const publicUrl = values['public-url'] ?? (process.env.HQ_PUBLIC_URL || ownUrl);
  if (!/^https?:\/\/[^/\s]+/i.test(publicUrl)) throw new Error('--public-url must be an http(s) address, e.g. https://hq.example.org');
  const smtpUrl = values['smtp-url'] ?? (process.env.HQ_SMTP_URL || undefined);
  if (smtpUrl && !/^smtps?:\/\//i.test(smtpUrl)) throw new Error('--smtp-url must start with smtp:// or smtps://');
  return {
    smtpUrl,
    from: values['mail-from'] ?? (process.env.HQ_MAIL_FROM || 'Roadshow HQ <roadshow@localhost>'),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    ratePerMinute: whole('--mail-rate', values['mail-rate'] ?? process.env.HQ_MAIL_RATE, MAIL_DEFAULTS.ratePerMinute, 10_000),
    reminderMinutes: whole('--reminder-minutes', values['reminder-minutes'] ?? process.env.HQ_MAIL_REMINDER_MINUTES, MAIL_DEFAULTS.reminderMinutes, 7 * 24 * 60),
    thanksDays: MAIL_DEFAULTS.thanksDays,
    planEveryMs: MAIL_DEFAULTS.planEveryMs,
    sendEveryMs: MAIL_DEFAULTS.sendEveryMs,
  };
}

type HubValues = { host?: string; port?: string; label?: string; 'tls-key'?: string; 'tls-cert'?: string; 'self-signed'?: boolean; upstream?: string; 'upstream-pin'?: string; 'upstream-code'?: string };

/**
 * The SQLCipher key of a data folder: its key file (`roadshow.key`, owner-only) if it has one; a new
 * hub folder gets one (a venue laptop can be lost). An existing plain folder stays plain.
 */
function folderKey(dataDir: string, createForHub: boolean): Buffer | undefined {
  if (existsSync(keyFilePath(dataDir))) return readKeyFile(keyFilePath(dataDir));
  if (createForHub && !existsSync(path.join(dataDir, 'hq-events.sqlite'))) return loadOrCreateKeyFile(dataDir);
  return undefined;
}

/** HTTPS material from --tls-cert/--tls-key (or env), or the hub's own self-signed certificate; none: plain http. */
function serverTls(values: { 'tls-key'?: string; 'tls-cert'?: string; 'self-signed'?: boolean }, dataDir: string, host: string): (TlsMaterial & { selfSigned: boolean; created: boolean }) | null {
  const certFile = values['tls-cert'] ?? (process.env.HQ_TLS_CERT || undefined);
  const keyFile = values['tls-key'] ?? (process.env.HQ_TLS_KEY || undefined);
  const selfSigned = values['self-signed'] ?? ['1', 'true', 'yes'].includes(String(process.env.HQ_SELF_SIGNED ?? '').toLowerCase());
  if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('--tls-cert and --tls-key go together');
  if (certFile && keyFile) {
    if (selfSigned) throw new Error('Use either --tls-cert/--tls-key or --self-signed, not both');
    return { ...loadTls(certFile, keyFile), selfSigned: false, created: false };
  }
  if (!selfSigned) return null;
  const hosts = host === '0.0.0.0' || host === '::' ? lanAddresses() : [host];
  return { ...loadOrCreateSelfSigned(dataDir, { hosts }), selfSigned: true };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  // A flag parseArgs does not know (or a missing value) is bad input, as the commands' own refusals are.
  const code = (err as { code?: unknown } | null)?.code;
  process.exit(typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
