import { AppError } from '../../shared/errors';
import type { HubServeStatus, hubContract } from '../../shared/ipc/hubContract';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import { SYNC_KEYS } from '../store/queries/syncQueries';
import type { HubServeInfo } from '../sync/hubHost';
import { HubService } from '../sync/hubService';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const services = new WeakMap<ApiContext, HubService>();
/** Remembered so the hub starts again with the app. */
export const HUB_SERVE_KEY = 'hub_serve';
/** Set while this laptop's desk is linked to the hub this laptop serves (the link ends with the hub). */
const HUB_OWN_LINK_KEY = 'hub_own_link';

/**
 * One hub link per running app (its loop and live status). Keyed by the context, not the store:
 * after a restore the context points at the new store and the loop follows it.
 */
export function hubServiceOf(ctx: ApiContext): HubService {
  let s = services.get(ctx);
  if (!s) {
    s = new HubService(() => ctx.store);
    services.set(ctx, s);
  }
  return s;
}

function serveStatus(ctx: ApiContext, info: HubServeInfo | null): HubServeStatus {
  return {
    available: ctx.hubHost !== undefined,
    serving: info !== null,
    address: info?.address ?? null,
    addresses: info?.addresses ?? [],
    fingerprint: info?.fingerprint ?? null,
    joinCode: info?.joinCode ?? null,
    joinCodeExpiresAt: info?.joinCodeExpiresAt ?? null,
    invite: info?.invite ?? null,
    inviteQr: info?.inviteQr ?? null,
    desks: info?.desks ?? 0,
    hubId: info?.hubId ?? null,
    upstream: info ? { configured: info.upstream.configured, lastOkAt: info.upstream.last_ok_at, pending: info.upstream.pending, lastErrorCode: info.upstream.last_error_code } : null,
  };
}

/**
 * Starts the hub inside the app and joins this laptop's own desk to it over loopback (a one-use
 * code made for this device, so a restart re-joins). With a hub code from HQ, links the hub to the
 * HQ address of the HQ card.
 */
async function startServing(ctx: ApiContext, upstreamCode: string | undefined): Promise<HubServeInfo> {
  const host = ctx.hubHost;
  if (!host) throw new AppError('HUB_UNAVAILABLE', 'This app cannot run a venue hub here');
  const settings = createSettingsQueries(ctx.store.db);
  let upstream: { url: string; certFingerprint: string | null; code: string } | undefined;
  if (upstreamCode) {
    const url = settings.get(SYNC_KEYS.url);
    if (!url) throw new AppError('SYNC_NOT_CONFIGURED', 'Set the HQ address first: the hub relays to it');
    upstream = { url, certFingerprint: settings.get(SYNC_KEYS.certFingerprint), code: upstreamCode };
  }
  const wasServing = (await host.status()) !== null;
  let info: HubServeInfo;
  try {
    info = await host.start({ upstream });
  } catch (err) {
    // All or nothing: a hub that could not be linked to HQ (bad code, HQ unreachable) does not stay up half set.
    if (!wasServing) await host.stop();
    throw err;
  }
  settings.set(HUB_SERVE_KEY, '1');
  const desk = hubServiceOf(ctx);
  const link = desk.status();
  if (link.hubUrl !== info.localUrl || !link.enrolled || link.certFingerprint !== info.fingerprint) {
    await desk.connect({ url: info.localUrl, certFingerprint: info.fingerprint, code: await host.issueDeskCode(ctx.store.deviceId), label: 'hub laptop' });
  } else if (!desk.looping && link.auto) desk.start();
  settings.set(HUB_OWN_LINK_KEY, '1');
  return (await host.status()) ?? info; // counts this laptop's desk, which just joined

}

/** At start-up (bootstrap): a laptop that was the hub when it closed serves again. */
export async function resumeServing(ctx: ApiContext): Promise<void> {
  if (ctx.hubHost && createSettingsQueries(ctx.store.db).get(HUB_SERVE_KEY) === '1') await startServing(ctx, undefined);
}

export const hubHandlers: HandlerMap<keyof typeof hubContract> = {
  'hub:connect': async (input, ctx) => {
    const status = await hubServiceOf(ctx).connect(input);
    createSettingsQueries(ctx.store.db).set(HUB_OWN_LINK_KEY, '0'); // linked to another hub by hand
    return status;
  },
  'hub:auto': ({ on }, ctx) => hubServiceOf(ctx).setAuto(on),
  'hub:status': (_input, ctx) => hubServiceOf(ctx).status(),
  'hub:syncNow': (_input, ctx) => hubServiceOf(ctx).syncNow(),
  'hub:forget': (_input, ctx) => hubServiceOf(ctx).forget(),
  'hub:serve': async ({ on, upstreamCode, deleteData }, ctx) => {
    if (on) return serveStatus(ctx, await startServing(ctx, upstreamCode || undefined));
    const host = ctx.hubHost;
    if (!host) throw new AppError('HUB_UNAVAILABLE', 'This app cannot run a venue hub here');
    await host.stop({ deleteData });
    const settings = createSettingsQueries(ctx.store.db);
    settings.set(HUB_SERVE_KEY, '0');
    // This laptop's desk was linked to its own hub over loopback: that link ends with it.
    if (settings.get(HUB_OWN_LINK_KEY) === '1') {
      await hubServiceOf(ctx).forget();
      settings.set(HUB_OWN_LINK_KEY, '0');
    }
    return serveStatus(ctx, null);
  },
  'hub:serveStatus': async (_input, ctx) => serveStatus(ctx, (await ctx.hubHost?.status()) ?? null),
  'hub:rejoinCode': async ({ deviceId }, ctx) => {
    if (!ctx.hubHost) throw new AppError('HUB_UNAVAILABLE', 'This app cannot run a venue hub here');
    if (!(await ctx.hubHost.status())) throw new AppError('SYNC_NOT_CONFIGURED', 'The hub is not running');
    return { deviceId, code: await ctx.hubHost.issueDeskCode(deviceId) };
  },
};
