import { z } from 'zod';
import { DeviceId } from '../sync/hqProtocol';
import { SyncResult, SyncRun } from './syncContract';

/**
 * The desk's side of a venue hub (issue #8): a second sync target beside HQ, with its own address,
 * certificate pin, enrollment and cursors, synced automatically every few seconds while the loop
 * is on. See docs/venue-hub.md.
 */
export const HubStatus = z.object({
  hubUrl: z.string().nullable(),
  /** The pinned SHA-256 of the hub's self-signed certificate (AB:CD:…), null: CA verification. */
  certFingerprint: z.string().nullable(),
  enrolled: z.boolean(),
  /** The auto-sync loop is on (persisted: it restarts with the app). */
  auto: z.boolean(),
  /** Last contact with the hub worked (true), failed (false), not tried yet (null). */
  online: z.boolean().nullable(),
  running: z.boolean(),
  /** Own events the hub has not acknowledged. */
  unsynced: z.number().int(),
  /** Events from other desks received from the hub since the app started. */
  receivedSinceStart: z.number().int(),
  /** The newest local log position: changes whenever this desk's data changed (own write or a sync). */
  logPosition: z.number().int(),
  lastSuccess: SyncRun.nullable(),
  lastRun: SyncRun.nullable(),
  /** What the hub says about its own link to HQ (from its health answer), null if unknown. */
  upstream: z
    .object({
      configured: z.boolean(),
      lastOkAt: z.string().nullable(),
      /** Events the hub holds that HQ has not acknowledged yet. */
      pending: z.number().int(),
      lastErrorCode: z.string().nullable(),
    })
    .nullable(),
});
export type HubStatus = z.infer<typeof HubStatus>;

/** The venue hub this laptop runs itself (the stop lead's laptop), for the Sync screen. */
export const HubServeStatus = z.object({
  /** This app can run a hub here (the desktop app and browser mode can; a bare API cannot). */
  available: z.boolean(),
  serving: z.boolean(),
  /** While serving: what the desks need (address, pin, join code; also as one invite text and a QR code image). */
  address: z.string().nullable(),
  addresses: z.array(z.string()),
  fingerprint: z.string().nullable(),
  joinCode: z.string().nullable(),
  joinCodeExpiresAt: z.string().nullable(),
  invite: z.string().nullable(),
  /** PNG data URL of the invite's QR code. */
  inviteQr: z.string().nullable(),
  /** Devices enrolled at this hub (this laptop's own desk included). */
  desks: z.number().int(),
  /** This hub's device id at HQ (HQ re-links a hub with a code made for this id). */
  hubId: z.string().nullable(),
  upstream: z
    .object({ configured: z.boolean(), lastOkAt: z.string().nullable(), pending: z.number().int(), lastErrorCode: z.string().nullable() })
    .nullable(),
});
export type HubServeStatus = z.infer<typeof HubServeStatus>;

export const hubContract = {
  /**
   * Sets the hub address and pin and, with a code, enrolls this desk there (the hub's QR code holds
   * all three). A bad address, fingerprint or code writes nothing. Turns the auto-sync loop on when
   * the desk is enrolled.
   */
  'hub:connect': {
    input: z.object({
      url: z.string().trim().min(1).max(300),
      certFingerprint: z.string().trim().max(200).optional(),
      code: z.string().trim().max(64).optional(),
      label: z.string().trim().max(100).default(''),
    }),
    output: HubStatus,
  },
  /** Starts or stops the automatic sync with the hub. */
  'hub:auto': { input: z.object({ on: z.boolean() }), output: HubStatus },
  'hub:status': { input: z.object({}), output: HubStatus },
  /** One sync with the hub now (push own events, pull the others'). */
  'hub:syncNow': { input: z.object({}), output: SyncResult },
  /** Forgets the hub (after the stop): stops the loop, drops address, pin, token and cursors. Data stays. */
  'hub:forget': { input: z.object({}), output: HubStatus },
  /**
   * Runs (or stops) the venue hub on this laptop: the same server as `npm run hq -- --hub`, with its
   * own certificate and venue join code; this laptop's desk joins it at once. With `upstreamCode` (a
   * hub code from HQ), the hub is linked to the HQ address set in the HQ card and relays to it.
   * Remembered: the hub starts again with the app.
   */
  'hub:serve': {
    input: z.object({
      on: z.boolean(),
      upstreamCode: z.string().trim().max(64).optional(),
      /** With `on: false`: also delete the hub's copy of the events, allowed only once HQ holds all of it. */
      deleteData: z.boolean().default(false),
    }),
    output: HubServeStatus,
  },
  'hub:serveStatus': { input: z.object({}), output: HubServeStatus },
  /**
   * A one-use code for one desk to join this laptop's hub again (a desk that forgot the hub, or lost its
   * token): the shared join code never takes over a device id the hub knows. The desk's id is on its Sync screen.
   */
  'hub:rejoinCode': {
    input: z.object({ deviceId: DeviceId }),
    output: z.object({ deviceId: z.string(), code: z.string() }),
  },
} as const;
