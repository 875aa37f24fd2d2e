import { z } from 'zod';

export const SyncRun = z.object({
  at: z.string(),
  ok: z.boolean(),
  sent: z.number().int(),
  received: z.number().int(),
  conflicts: z.number().int(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  errorDetails: z.record(z.string(), z.unknown()).nullable(),
});
export type SyncRun = z.infer<typeof SyncRun>;

/**
 * A running sync, as the Sync screen shows it: the phase (`prepare`: the backup before it; `push`;
 * `pull`; `verify`: the digest check), events and bytes sent of those to send, events and bytes
 * received, how far through HQ's log the pull is, and an estimate of the phase's remaining seconds.
 */
export const SyncProgress = z.object({
  phase: z.enum(['prepare', 'push', 'pull', 'verify']),
  /** Own events HQ acknowledged during this run, and how many there were to send at its start. */
  sent: z.number().int(),
  toSend: z.number().int(),
  /** Bytes (JSON) of the acknowledged events, of all there were to send. */
  bytesSent: z.number().int(),
  bytesToSend: z.number().int(),
  /** Events from other devices new to this laptop, and the bytes of HQ's answers. */
  received: z.number().int(),
  bytesReceived: z.number().int(),
  /** Positions of HQ's log read by the pull, of those HQ held after this laptop's cursor when asked. */
  pullDone: z.number().int(),
  pullTotal: z.number().int(),
  /** Seconds the current phase still needs at its rate so far; null before anything was measured. */
  etaSeconds: z.number().int().nullable(),
  startedAt: z.string(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const SyncStatus = z.object({
  deviceId: z.string(),
  hqUrl: z.string().nullable(),
  /** The pinned SHA-256 of a venue hub's self-signed certificate (AB:CD:…), null: CA verification. */
  certFingerprint: z.string().nullable().optional(),
  enrolled: z.boolean(),
  /** Last contact with HQ worked (true), failed (false), not tried yet (null). */
  online: z.boolean().nullable(),
  running: z.boolean(),
  progress: SyncProgress.nullable(),
  /** Own events HQ has not acknowledged. */
  unsynced: z.number().int(),
  lastSuccess: SyncRun.nullable(),
  lastRun: SyncRun.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const DigestCheck = z.object({
  ok: z.boolean(),
  localCount: z.number().int(),
  hqCount: z.number().int(),
  localMaxSeq: z.number().int(),
  hqMaxSeq: z.number().int(),
});
export type DigestCheck = z.infer<typeof DigestCheck>;

export const SyncResult = z.object({
  sent: z.number().int(),
  received: z.number().int(),
  conflicts: z.number().int(),
  finishedAt: z.string(),
  digest: DigestCheck,
});
export type SyncResult = z.infer<typeof SyncResult>;

export const syncContract = {
  'sync:configure': { input: z.object({ url: z.string().trim().min(1).max(300), certFingerprint: z.string().trim().max(200).optional() }), output: SyncStatus },
  'sync:enroll': { input: z.object({ code: z.string().trim().min(4).max(64), label: z.string().trim().max(100).default('') }), output: SyncStatus },
  'sync:now': { input: z.object({}), output: SyncResult },
  'sync:status': { input: z.object({ probe: z.boolean().default(false) }), output: SyncStatus },
  'sync:digest': { input: z.object({}), output: DigestCheck },
} as const;
