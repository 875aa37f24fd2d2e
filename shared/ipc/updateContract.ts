import { z } from 'zod';

/**
 * Updates of the desktop app (electron-updater, driven by core/update/updateController.ts). Browser mode has
 * no updater: its status is `off` with reason `browserMode` ("updates are managed by the desktop app").
 */
export const UPDATE_PHASES = ['off', 'idle', 'checking', 'available', 'downloading', 'ready', 'error'] as const;
export type UpdatePhase = (typeof UPDATE_PHASES)[number];

/** Why this copy does not update itself. */
export const UPDATE_OFF_REASONS = ['browserMode', 'notPackaged', 'noFeed'] as const;
export type UpdateOffReason = (typeof UPDATE_OFF_REASONS)[number];

/**
 * `install`: downloaded here and installed on restart, after the updater checked the new version's code
 * signature (Windows: same publisher as the installed app; macOS: Squirrel.Mac, same designated requirement).
 * `notify`: announced only, installed by hand — where no signature can be checked (Linux, unsigned Windows builds).
 */
export const UPDATE_DELIVERIES = ['install', 'notify'] as const;
export type UpdateDelivery = (typeof UPDATE_DELIVERIES)[number];

/** The kind of the last failure, for a translated sentence; the updater's own text is in `error`. */
export const UPDATE_ERROR_KINDS = ['offline', 'signature', 'checksum', 'other'] as const;
export type UpdateErrorKind = (typeof UPDATE_ERROR_KINDS)[number];

export const UpdateStatus = z.object({
  phase: z.enum(UPDATE_PHASES),
  offReason: z.enum(UPDATE_OFF_REASONS).nullable(),
  delivery: z.enum(UPDATE_DELIVERIES).nullable(),
  currentVersion: z.string(),
  /** The newer version announced by the feed (kept while it downloads, is ready, or failed to download). */
  availableVersion: z.string().nullable(),
  /** Download progress, 0–100, while downloading. */
  percent: z.number().min(0).max(100).nullable(),
  /** When the feed last answered (UTC ISO-8601). */
  lastCheckedAt: z.string().nullable(),
  errorKind: z.enum(UPDATE_ERROR_KINDS).nullable(),
  error: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const updateContract = {
  'app:updateStatus': { input: z.object({}), output: UpdateStatus },
  /** Asks the feed now (Settings → Updates); the answer arrives in later statuses. */
  'app:checkForUpdates': { input: z.object({}), output: UpdateStatus },
  /** Quits and installs the downloaded update ("Restart to update"); UPDATE_NOT_READY when nothing is downloaded. */
  'app:installUpdate': { input: z.object({}), output: z.object({ restarting: z.literal(true) }) },
} as const;
