import type { HubUpstreamHealth } from '../../shared/sync/hqProtocol';

/** A venue hub this app runs itself (the stop lead's laptop), as the Sync screen shows it. */
export interface HubServeInfo {
  /** The address desks use (this laptop's first LAN address) and every address it listens on. */
  address: string;
  addresses: string[];
  /** The same hub on loopback, for this laptop's own desk. */
  localUrl: string;
  port: number;
  /** SHA-256 of the hub's self-signed certificate, which the desks pin. */
  fingerprint: string;
  joinCode: string;
  joinCodeExpiresAt: string;
  /** Address, pin and join code as one text (shared/sync/hubInvite.ts) and as a QR code (PNG data URL). */
  invite: string;
  inviteQr: string;
  /** Devices enrolled at this hub. */
  desks: number;
  /** This hub's device id at HQ (what HQ's `enroll-code --hub --device <id>` re-links). */
  hubId: string;
  upstream: HubUpstreamHealth;
}

/**
 * Runs the HQ server program as a venue hub inside the app (hq/server/hub/embeddedHub.ts). The
 * hosts inject it (browser mode, Electron); core only knows this interface, so core stays free of
 * the server's code and tests can run without it.
 */
export interface HubHost {
  /** Starts serving (or answers the running hub); with `upstream`, also enrolls the hub at HQ with a hub code. */
  start(opts?: { upstream?: { url: string; certFingerprint: string | null; code: string } }): Promise<HubServeInfo>;
  /**
   * Stops serving. With `deleteData`, first relays what it can, then deletes the hub's copy of the
   * events, but only if HQ holds all of it (else HUB_DATA_NOT_AT_HQ, and the hub keeps running).
   */
  stop(opts?: { deleteData?: boolean }): Promise<void>;
  /** Null while not serving. */
  status(): Promise<HubServeInfo | null>;
  /** A one-use code for this laptop's own desk (re-enrolls it if the hub knows it already). */
  issueDeskCode(deviceId: string): Promise<string>;
}
