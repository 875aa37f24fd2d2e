import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { HubHost, HubServeInfo } from '../../../core/sync/hubHost';
import { AppError } from '../../../shared/errors';
import { issueEnrollmentCode, type IssuedCode } from '../auth';
import { SqliteHqStorage } from '../sqliteStorage';
import { buildSyncApp } from '../syncApp';
import { lanAddresses, loadOrCreateSelfSigned } from '../tls';
import { HubUpstream } from './hubUpstream';
import { issueVenueJoinCode, venueInvite } from './venueJoin';

export const DEFAULT_HUB_PORT = 8470;

interface Running {
  app: FastifyInstance;
  storage: SqliteHqStorage;
  upstream: HubUpstream;
  port: number;
  fingerprint: string;
  join: IssuedCode;
}

/**
 * The venue hub run from the desk app's Sync screen: the same server as `npm run hq -- --hub`
 * (sync routes, no dashboard), its log and state in the app's data folder, encrypted with the
 * app's store key, its certificate made once and kept. Listens on every interface (the hall's LAN).
 */
export class EmbeddedHub implements HubHost {
  private running: Running | null = null;
  /** The last invite drawn: the QR image is made again only when the address or the join code changes. */
  private drawn: { key: string; invite: { text: string; qrDataUrl: string } } | null = null;
  private starting: Promise<Running> | null = null;

  constructor(private readonly opts: { dir: string; key?: Buffer; port?: number; host?: string; now?: () => Date }) {}

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  async start(opts: { upstream?: { url: string; certFingerprint: string | null; code: string } } = {}): Promise<HubServeInfo> {
    const r = this.running ?? (await (this.starting ??= this.open().finally(() => (this.starting = null))));
    if (opts.upstream) {
      await r.upstream.connect({ ...opts.upstream, label: 'venue hub' });
      r.upstream.start();
    }
    return this.info(r);
  }

  /** The hub's log and its HQ link, without serving them. */
  private openData(): { storage: SqliteHqStorage; upstream: HubUpstream } {
    const dir = this.opts.dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'), { key: this.opts.key });
    return { storage, upstream: new HubUpstream(storage, path.join(dir, 'hub-upstream.sqlite'), { key: this.opts.key }) };
  }

  private async open(): Promise<Running> {
    const { storage, upstream } = this.openData();
    const tls = loadOrCreateSelfSigned(this.opts.dir, { hosts: lanAddresses() });
    const app = buildSyncApp({ storage, https: { key: tls.key, cert: tls.cert }, hub: { upstreamHealth: () => upstream.health(), hqStopDigest: (stopId) => upstream.stopDigest(stopId) } });
    const port = this.opts.port ?? DEFAULT_HUB_PORT;
    try {
      await app.listen({ host: this.opts.host ?? '0.0.0.0', port });
    } catch (err) {
      await app.close().catch(() => undefined);
      upstream.close();
      await storage.close();
      if ((err as { code?: string }).code === 'EADDRINUSE') throw new AppError('HUB_PORT_IN_USE', `Port ${port} is in use`, { port });
      throw err;
    }
    const addr = app.server.address();
    const r: Running = {
      app,
      storage,
      upstream,
      port: typeof addr === 'object' && addr ? addr.port : port,
      fingerprint: tls.fingerprint,
      join: await issueVenueJoinCode(storage, this.now()),
    };
    upstream.start();
    this.running = r;
    return r;
  }

  async stop(opts: { deleteData?: boolean } = {}): Promise<void> {
    const r = this.running ?? (await this.starting?.catch(() => null)) ?? null;
    this.running = null;
    // No desk can push any more from here on: what the check below sees is all the hub will ever hold.
    if (r) await r.app.close();
    const data = r ?? (opts.deleteData ? this.openData() : null);
    if (!data) return;
    await data.upstream.stop();
    let refusal: AppError | null = null;
    if (opts.deleteData) {
      // The hub's copy may go only when HQ holds all of it: one last round, then HQ's word.
      // One last round (it also counts what is pending; without an HQ link it fails at once and says so).
      await data.upstream.syncOnce().catch(() => undefined);
      const h = data.upstream.health();
      if (!h.configured || h.pending > 0 || h.last_error_code !== null) {
        refusal = new AppError('HUB_DATA_NOT_AT_HQ', `HQ does not hold all of the hub's events (${h.configured ? `${h.pending} waiting` : 'no HQ link'})`, { pending: h.pending });
      }
    }
    data.upstream.close();
    await data.storage.close();
    if (refusal) {
      // Nothing deleted; a hub that was serving serves again (same folder, port and certificate).
      if (r) await this.start().catch(() => undefined);
      throw refusal;
    }
    if (opts.deleteData) {
      // The certificate stays (desks that pinned it need not pin again); the events and the HQ link go.
      for (const base of ['hq-events.sqlite', 'hub-upstream.sqlite']) for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(this.opts.dir, base + suffix), { force: true });
    }
  }

  async status(): Promise<HubServeInfo | null> {
    return this.running ? this.info(this.running) : null;
  }

  async issueDeskCode(deviceId: string): Promise<string> {
    const r = this.running;
    if (!r) throw new AppError('SYNC_NOT_CONFIGURED', 'The hub is not running');
    return (await issueEnrollmentCode(r.storage, { label: 'hub laptop', deviceId, validHours: 1, now: this.now() })).code;
  }

  private async info(r: Running): Promise<HubServeInfo> {
    // The join code lives a day; a hub left running longer shows a fresh one.
    if (Date.parse(r.join.expiresAt) - this.now().getTime() < 3600_000) r.join = await issueVenueJoinCode(r.storage, this.now());
    const addresses = lanAddresses().map((a) => `https://${a.includes(':') ? `[${a}]` : a}:${r.port}`);
    const localUrl = `https://127.0.0.1:${r.port}`;
    const address = addresses[0] ?? localUrl;
    const key = `${address}\n${r.fingerprint}\n${r.join.code}`;
    if (this.drawn?.key !== key) this.drawn = { key, invite: await venueInvite(address, r.fingerprint, r.join.code) };
    const invite = this.drawn.invite;
    const desks = (await r.storage.listDevices()).filter((d) => d.revokedAt === null).length;
    return {
      address,
      addresses,
      localUrl,
      port: r.port,
      fingerprint: r.fingerprint,
      joinCode: r.join.code,
      joinCodeExpiresAt: r.join.expiresAt,
      invite: invite.text,
      inviteQr: invite.qrDataUrl,
      desks,
      hubId: r.upstream.deviceId,
      upstream: r.upstream.health(),
    };
  }
}
