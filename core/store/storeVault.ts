import { encryptPlainStore } from './encryption';
import { openStore, type Store } from './openStore';
import { restoreBackupFile, verifyBackup } from './backup';
import { WalCheckpointer } from './walCheckpointer';

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

  /**
   * Opens the store, first encrypting a plain store left by an older version (crash-safe). The running
   * app's store copies its WAL into the file on a thread of its own (core/store/walCheckpointer.ts),
   * stopped when the store closes.
   */
  open(): Store {
    if (this.#key) encryptPlainStore(this.file, this.#key);
    const store = openStore(this.file, { key: this.#key, now: this.#now });
    const checkpointer = WalCheckpointer.start(store.db, this.file, this.#key);
    if (checkpointer) store.onClose(() => checkpointer.stop());
    return store;
  }

  verify(backupPath: string): { userVersion: number; events: number } {
    return verifyBackup(backupPath, this.#key);
  }

  /** The store at `file` must be closed. */
  restore(backupPath: string): { events: number; deviceId: string } {
    return restoreBackupFile(backupPath, this.file, this.#key);
  }
}
