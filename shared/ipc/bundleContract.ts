import { z } from 'zod';

/** Base64 of a bundle file (≤ 64 MB of bytes). */
const Base64 = z.string().max(90 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

export const BundleFile = z.object({
  filename: z.string(),
  mimeType: z.string(),
  base64: Base64,
  deviceId: z.string(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  count: z.number().int(),
});
export type BundleFile = z.infer<typeof BundleFile>;

export const BundleImportReport = z.object({
  deviceId: z.string(),
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  createdAt: z.string(),
  events: z.number().int(),
  added: z.number().int(),
  alreadyHeld: z.number().int(),
  rejected: z.number().int(),
  keyStatus: z.enum(['published', 'first_seen']),
  refusedBecause: z.string().optional(),
});
export type BundleImportReport = z.infer<typeof BundleImportReport>;

/** USB bundles (issue #8): this laptop's events for HQ on a stick, and another laptop's bundle taken here. */
export const bundleContract = {
  'bundle:export': { input: z.object({ scope: z.enum(['unsent', 'all']).default('unsent') }), output: BundleFile },
  'bundle:import': { input: z.object({ base64: Base64.min(1) }), output: BundleImportReport },
} as const;
