import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { secureDataDir } from '../../../core/host/dataDir';
import { bootstrap } from '../../../core/host/bootstrap';
import { RESOURCES_DIR, tempDir } from '../../helpers/testStore';

const mode = (p: string) => statSync(p).mode & 0o7777;

describe('the data folder is owner-only (issue #17)', () => {
  it('narrows an existing folder made 0755 and the store files an older version left 0644', () => {
    const dir = path.join(tempDir(), 'data');
    mkdirSync(path.join(dir, 'backups'), { recursive: true });
    writeFileSync(path.join(dir, 'roadshow.sqlite'), 'x');
    writeFileSync(path.join(dir, 'backups', 'roadshow-1.sqlite'), 'x');
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'backups'), 0o755);
    chmodSync(path.join(dir, 'roadshow.sqlite'), 0o644);
    chmodSync(path.join(dir, 'backups', 'roadshow-1.sqlite'), 0o644);
    const before = process.umask();
    try {
      secureDataDir(dir);
      expect(mode(dir)).toBe(0o700);
      expect(mode(path.join(dir, 'backups'))).toBe(0o700);
      expect(mode(path.join(dir, 'roadshow.sqlite'))).toBe(0o600);
      expect(mode(path.join(dir, 'backups', 'roadshow-1.sqlite'))).toBe(0o600);
      // What the process writes from now on is born owner-only.
      writeFileSync(path.join(dir, 'later.csv'), 'y');
      expect(mode(path.join(dir, 'later.csv'))).toBe(0o600);
    } finally {
      process.umask(before);
    }
  });

  it('leaves a shared sticky folder (like /tmp) as it is, but not the files the app keeps in it', () => {
    const dir = path.join(tempDir(), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    writeFileSync(path.join(dir, 'roadshow.sqlite'), 'x');
    chmodSync(path.join(dir, 'roadshow.sqlite'), 0o644);
    const before = process.umask();
    try {
      secureDataDir(dir);
    } finally {
      process.umask(before);
    }
    expect(mode(dir)).toBe(0o1777);
    expect(mode(path.join(dir, 'roadshow.sqlite'))).toBe(0o600);
  });

  it('browser mode’s store, its WAL and key file are owner-only after a start', () => {
    const dir = path.join(tempDir(), 'desk');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const before = process.umask(0o022);
    try {
      const booted = bootstrap({ dataDir: dir, resourcesDir: RESOURCES_DIR, mode: 'browser', version: 'test', demo: false, key: randomBytes(32) });
      booted.store.events.append('tour_upserted', { id: 'tour-x', name: 'X', year: 2027 });
      expect(mode(dir)).toBe(0o700);
      for (const f of ['roadshow.sqlite', 'roadshow.sqlite-wal']) expect(mode(path.join(dir, f)), f).toBe(0o600);
      booted.shutdown();
    } finally {
      process.umask(before);
    }
  });
});
