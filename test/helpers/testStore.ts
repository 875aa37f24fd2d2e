import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiContext } from '../../core/api/apiContext';
import { loadDemoData } from '../../core/demo/demoData';
import { seedDemoIfEmpty } from '../../core/demo/seedDemo';
import { openStore, type Store, type StoreOptions } from '../../core/store/openStore';

// Vitest provides __dirname (also under jsdom, where import.meta.url is not a file URL); tsx (benches) gives import.meta.url.
const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const RESOURCES_DIR = path.join(REPO_ROOT, 'resources');

export function tempDir(prefix = 'roadshow-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh store in a temp folder (a real file, so WAL and durability behave as in the app). */
export function createTestStore(opts: StoreOptions & { demo?: boolean; attendees?: number; schedules?: boolean } = {}): Store {
  const store = openStore(path.join(tempDir(), 'roadshow.sqlite'), opts);
  // Demo people, stops and booths; booth plans and bookings only when a test asks for them.
  if (opts.demo) seedDemoIfEmpty(store, loadDemoData(RESOURCES_DIR), { attendees: opts.attendees ?? 120, schedules: opts.schedules ?? false });
  return store;
}

export function createTestContext(store: Store, overrides: Partial<ApiContext> = {}): ApiContext {
  return { store, mode: 'browser', dataDir: path.dirname(store.db.name), version: 'test', actorId: null, ...overrides };
}

/** The demo's New York stop: registered people, some checked in. */
export const DEMO_STOP = 'stop-03-new-york';

/** Closes a store made by createTestStore and removes its temp folder (personal data must not stay behind). */
export function disposeTestStore(store: Store): void {
  const dir = path.dirname(store.db.name);
  if (store.db.open) store.close();
  if (dir.startsWith(os.tmpdir()) && path.basename(dir).startsWith('roadshow-test-')) rmSync(dir, { recursive: true, force: true });
}
