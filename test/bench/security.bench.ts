import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { hashPin, verifyPin } from '../../core/security/pinHash';
import { backupDir, createBackup } from '../../core/store/backup';
import { encryptPlainStore } from '../../core/store/encryption';
import { openStore, type Store } from '../../core/store/openStore';
import { RESOURCES_DIR, tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

const ATTENDEES = 5_000;

function seeded(key?: Buffer): { store: Store; dir: string } {
  const dir = tempDir('bench-sec-');
  const store = openStore(path.join(dir, 'roadshow.sqlite'), { key });
  store.events.ingest(buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: ATTENDEES, seed: 3 }));
  return { store, dir };
}

function checkIns(store: Store, n: number): number {
  const regs = store.db.prepare('SELECT id, attendee_id, stop_id FROM registrations').all() as { id: string; attendee_id: string; stop_id: string }[];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = regs[i % regs.length]!;
    store.events.append('checked_in', { registrationId: r.id, attendeeId: r.attendee_id, stopId: r.stop_id, desk: 'Bench' });
  }
  return performance.now() - t0;
}

/** What encryption, backups and PIN hashing cost at a desk. */
export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const n = 1_000;
  const plain = seeded();
  const plainMs = checkIns(plain.store, n);
  plain.store.close();
  const key = randomBytes(32);
  const enc = seeded(key);
  const encMs = checkIns(enc.store, n);
  out.push(
    { name: 'check-in write, encrypted store (SQLCipher)', value: Math.round((n / encMs) * 1000), unit: 'writes/s', detail: `${n} writes, ${ATTENDEES} attendees` },
    { name: 'check-in write, plain store (same data, for comparison)', value: Math.round((n / plainMs) * 1000), unit: 'writes/s' },
  );

  let t0 = performance.now();
  const b = createBackup(enc.store, backupDir(enc.dir), 'manual');
  out.push({ name: 'online backup (VACUUM INTO, encrypted)', value: Math.round(performance.now() - t0), unit: 'ms', detail: `${(b.bytes / 1024 / 1024).toFixed(1)} MB, ${ATTENDEES} attendees` });
  enc.store.close();

  t0 = performance.now();
  encryptPlainStore(plain.store.db.name, key);
  out.push({ name: 'first-start encryption of a plain store', value: Math.round(performance.now() - t0), unit: 'ms', detail: `${ATTENDEES} attendees` });

  t0 = performance.now();
  const h = hashPin('482913');
  const hashMs = performance.now() - t0;
  t0 = performance.now();
  await verifyPin('482913', h);
  out.push(
    { name: 'PIN hash (scrypt N=2^15, r=8)', value: Math.round(hashMs), unit: 'ms' },
    { name: 'PIN check at sign-in', value: Math.round(performance.now() - t0), unit: 'ms', detail: 'one core; a 6-digit PIN space costs ~10^6 × this to search' },
  );
  return out;
}
