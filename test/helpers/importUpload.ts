import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import type { ApiContext } from '../../core/api/apiContext';
import { importRunner } from '../../core/import/importRunner';
import type { Store } from '../../core/store/openStore';
import { callApi } from './callApi';
import { createTestContext, createTestStore } from './testStore';

/** The header of the app's own import template. */
export const HEADER = 'family_name,given_name,name_ko,email,affiliation,career_stage,fields,scan_token';

/** Uploads and parses a template-format file of `n` generated people (given names `<prefix><i>`, tokens `<prefix>-<i>`). */
export async function uploadRows(ctx: ApiContext, n: number, prefix: string) {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`Park,${prefix}${i},박지우,${prefix.toLowerCase()}${i}@example.edu,"KAIST, Daejeon",student,ai,${prefix}-${i}`);
  const uploadId = randomUUID();
  await callApi(ctx, 'import:upload', { uploadId, fileName: 'people.csv', index: 0, count: 1, data: Buffer.from(lines.join('\r\n')).toString('base64') });
  const parsed = await callApi(ctx, 'import:parse', { uploadId });
  return { uploadId, mapping: parsed.mapping };
}

/** Demo stores for import tests, each closed (import worker first) after its test. */
export function importTestStores(attendees = 40): { context(): ApiContext; track(store: Store): Store } {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) {
      await importRunner(s).close();
      s.close();
    }
  });
  const track = (store: Store) => {
    stores.push(store);
    return store;
  };
  return { track, context: () => createTestContext(track(createTestStore({ demo: true, attendees }))) };
}
