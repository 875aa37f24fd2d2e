import { encryptPlainStore } from './encryption';
import { openStore, type Store } from './openStore';
import { restoreBackupFile, verifyBackup } from './backup';

/**
 * The store's file and key, held once by the running host so the restore action can verify a
 * backup with the key, close the store, swap the file and open it again without the key ever
 * travelling through the API context.
 */
export class StoreVault {
  readonly #key: Buffer | undefined;
  readonly #now: (() => number) | undefined;
  constructor(
    readonly file: string,
    key: Buffer | undefined,
    /** The host's clock (a test host may run on a moved clock, `--clock-file`); the system clock by default. */
    now?: () => number,
  ) {
    this.#key = key;
    this.#now = now;
  }

  /** Opens the store, first encrypting a plain store left by an older version (crash-safe). */
  open(): Store {
    if (this.#key) encryptPlainStore(this.file, this.#key);
    return openStore(this.file, { key: this.#key, now: this.#now });
  }

  verify(backupPath: string): { userVersion: number; events: number } {
    return verifyBackup(backupPath, this.#key);
  }

  /** The store at `file` must be closed. */
  restore(backupPath: string): { events: number; deviceId: string } {
    return restoreBackupFile(backupPath, this.file, this.#key);
  }
}
