import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Store } from '../store/openStore';
import { createSettingsQueries } from '../store/queries/settingsQueries';

/** Local settings (never synced) holding this laptop's bundle-signing key pair. */
export const DEVICE_KEY_SETTINGS = { privateKey: 'bundle_signing_key', publicKey: 'bundle_public_key' } as const;

export interface DeviceKey {
  /** SPKI DER, base64: what travels in bundles and in device_key_published. */
  publicKey: string;
  privateKey: KeyObject;
  /** True when this call made the key pair (and published it as an event). */
  created: boolean;
}

/**
 * This laptop's Ed25519 key pair for USB bundles, made at first use. The private key stays in the
 * local settings (inside the store, encrypted when the store is); the public key is published as
 * a device_key_published event, so HQ and the other desks learn it by the authenticated push.
 */
export function ensureDeviceKey(store: Store): DeviceKey {
  const settings = createSettingsQueries(store.db);
  const pem = settings.get(DEVICE_KEY_SETTINGS.privateKey);
  const pub = settings.get(DEVICE_KEY_SETTINGS.publicKey);
  if (pem && pub) return { publicKey: pub, privateKey: createPrivateKey(pem), created: false };
  return store.events.transaction(() => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    settings.set(DEVICE_KEY_SETTINGS.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    settings.set(DEVICE_KEY_SETTINGS.publicKey, publicB64);
    store.events.append('device_key_published', { publicKey: publicB64 });
    return { publicKey: publicB64, privateKey, created: true };
  });
}

/** The key a device published, as this store knows it (null: not known here yet). */
export function publishedKeyOf(store: Store, deviceId: string): string | null {
  const row = store.db.prepare<[string], { public_key: string }>('SELECT public_key FROM device_keys WHERE device_id = ?').get(deviceId);
  return row?.public_key ?? null;
}

export function signBytes(privateKey: KeyObject, data: Buffer): string {
  return sign(null, data, privateKey).toString('base64');
}

export function verifyBytes(publicKeyB64: string, data: Buffer, signatureB64: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
