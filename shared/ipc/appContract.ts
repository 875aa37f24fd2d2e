import { z } from 'zod';
import { LANGUAGES } from '../vocab';
import { Id, NonEmpty } from '../schemas/common';

export const Settings = z.object({
  language: z.enum(LANGUAGES),
  currentStopId: Id.nullable(),
  /** The tour the stop picker lists (the newest when not chosen). */
  currentTourId: Id.nullable(),
  deskName: NonEmpty(100),
});
export type Settings = z.infer<typeof Settings>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  deviceId: z.string(),
  dataDir: z.string(),
  eventCount: z.number().int(),
  /** Events this laptop wrote that HQ has not acknowledged yet. */
  unsyncedCount: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appContract = {
  'app:info': { input: z.object({}), output: AppInfo },
  'settings:get': { input: z.object({}), output: Settings },
  'settings:update': { input: Settings.partial(), output: Settings },
} as const;
