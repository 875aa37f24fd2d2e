import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** SHA-256 of the certificate (DER), upper-case hex with colons: what desks pin. */
  fingerprint: string;
}

export const SELF_SIGNED_CERT = 'hub-cert.pem';
export const SELF_SIGNED_KEY = 'hub-key.pem';

/** SHA-256 fingerprint of a PEM certificate, as Node prints it (AB:CD:…). */
export function certFingerprint(certPem: Buffer | string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A certificate and key given by the operator (e.g. from the organisation's CA or Let's Encrypt). */
export function loadTls(certFile: string, keyFile: string): TlsMaterial {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  return { cert, key, fingerprint: certFingerprint(cert) };
}

/** This machine's IPv4/IPv6 addresses on the network (what desks at the venue type in). */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && (a.family === 'IPv4' || !a.address.startsWith('fe80'))) out.push(a.address);
  }
  return out;
}

/**
 * The hub's own certificate: made on first start in the data folder (key owner-only) and reused
 * afterwards, so the fingerprint desks pinned stays valid. Valid ten years; desks trust it by
 * fingerprint only, never by name, so the names in it are informative.
 */
export function loadOrCreateSelfSigned(dataDir: string, opts: { hosts?: string[]; now?: Date } = {}): TlsMaterial & { created: boolean } {
  const certFile = path.join(dataDir, SELF_SIGNED_CERT);
  const keyFile = path.join(dataDir, SELF_SIGNED_KEY);
  if (existsSync(certFile) && existsSync(keyFile)) return { ...loadTls(certFile, keyFile), created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyPair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...(opts.hosts ?? [])])];
  const ip = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');
  const pems = selfsigned.generate([{ name: 'commonName', value: 'Roadshow Desk hub' }], {
    keyPair,
    days: 3650,
    algorithm: 'sha256',
    notBeforeDate: opts.now,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((h) => (ip(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    ],
  } as Parameters<typeof selfsigned.generate>[1] & { keyPair: { privateKey: string; publicKey: string } });
  // Key first, owner-only; each file written whole then renamed, so a crash never leaves half a pair.
  writeFileSync(`${keyFile}.tmp`, pems.private, { mode: 0o600 });
  chmodSync(`${keyFile}.tmp`, 0o600);
  renameSync(`${keyFile}.tmp`, keyFile);
  writeFileSync(`${certFile}.tmp`, pems.cert, { mode: 0o644 });
  renameSync(`${certFile}.tmp`, certFile);
  return { ...loadTls(certFile, keyFile), created: true };
}

/** What the QR code carries: the address and the fingerprint, on two lines, as the Sync screen asks for them. */
export function pinText(address: string, fingerprint: string): string {
  return `${address}\nsha256/${fingerprint}`;
}

/** The terminal banner's QR code (small, UTF-8 half blocks). */
export async function terminalQr(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
}
