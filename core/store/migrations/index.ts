import type { Db } from '../sqlite';
import type { Migration } from './migration';
import { migration0010 } from './0010-create-event-log';
import { migration0020 } from './0020-create-master-data';
import { migration0030 } from './0030-create-attendees';
import { migration0100 } from './0100-check-in-void-desk';
import { migration0200 } from './0200-create-booth-scheduling';
import { migration0300 } from './0300-create-consultations';
import { migration0400 } from './0400-create-sync-runs';
import { migration0500 } from './0500-create-security';
import { migration0600 } from './0600-create-attendee-merges';
import { migration0610 } from './0610-create-device-keys';
import { migration0700 } from './0700-lean-attendee-rows';
import { migration0710 } from './0710-email-index-nocase';
import { migration0720 } from './0720-tour-planning';
import { migration0730 } from './0730-session-check-ins';
import { migration0740 } from './0740-attendee-corrections';
import { migration0750 } from './0750-no-show-settings';
import { migration0780 } from './0780-consultation-revision-desk';
import { migration0790 } from './0790-consent-wording';
import { migration0850 } from './0850-programs-and-outcomes';
import { migration0860 } from './0860-attendee-mail-preferences';
import { migration0880 } from './0880-consultation-programs';
import { migration0900 } from './0900-lean-write-indexes';
import { migration0911 } from './0911-people-keyed-by-id';

/** Append new migrations here, in order. */
export const MIGRATIONS: readonly Migration[] = [migration0010, migration0020, migration0030, migration0100, migration0200, migration0300, migration0400, migration0500, migration0600, migration0610, migration0700, migration0710, migration0720, migration0730, migration0740, migration0750, migration0780, migration0790, migration0850, migration0860, migration0880, migration0900, migration0911];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema to `target` (default: latest). Each migration runs in its own savepoint together
 * with the `user_version` bump, all in one transaction, so a crash leaves the schema at a whole version.
 */
export function runMigrations(db: Db, target: number = LATEST_VERSION, migrations: readonly Migration[] = MIGRATIONS): number {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) {
      throw new Error(`Migrations out of order: ${migrations[i]!.version} after ${migrations[i - 1]!.version}`);
    }
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  const known = migrations.some((m) => m.version === current);
  if (current !== 0 && !known && current > LATEST_VERSION) {
    throw new Error(`This database was written by a newer app (schema ${current}); this app knows up to ${LATEST_VERSION}.`);
  }
  // The pending migrations in one transaction (a new store runs them all: one commit and one fsync rather
  // than one per migration), each in a savepoint of its own: one that fails is undone and the ones before it
  // are kept, as when each had its own transaction.
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  let failure: unknown = null;
  if (pending.length > 0) {
    db.transaction(() => {
      for (const m of pending) {
        try {
          db.transaction(() => {
            m.up(db);
            db.pragma(`user_version = ${m.version}`);
          })();
        } catch (err) {
          failure = err;
          return;
        }
      }
    })();
  }
  if (failure) throw failure;
  return db.pragma('user_version', { simple: true }) as number;
}
