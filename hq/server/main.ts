import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { issueEnrollmentCode } from './auth';
import { buildHqApp } from './hqApp';
import { openHqRuntime } from './hqRuntime';
import { importEvents } from './importEvents';
import { ADMIN_USAGE, adminStoreFile, runAdminCommand } from './admin/adminCli';
import { AdminStore } from './admin/adminStore';
import QRCode from 'qrcode';
import type { DashboardDeps } from './dashboard/dashboardRoutes';
import { lanAddresses, loadOrCreateSelfSigned, loadTls, pinText, terminalQr, type TlsMaterial } from './tls';

const USAGE = `Roadshow Desk HQ server

  npm run hq [-- serve] [--port 8470] [--host 127.0.0.1] [--tls-key key.pem --tls-cert cert.pem | --self-signed]
      --tls-cert/--tls-key (or HQ_TLS_CERT/HQ_TLS_KEY): serve HTTPS with this certificate
      --self-signed (or HQ_SELF_SIGNED=1): a venue hub's own certificate, made once in the data folder;
        desks pin its SHA-256 fingerprint, printed (and as a QR code) at start
  npm run hq -- enroll-code [--label "Desk A, Boston"] [--device <id> (re-enroll)] [--hours 72]
  npm run hq -- revoke <device-id>
  npm run hq -- devices
  npm run hq -- seed-demo          (the demo tour as HQ master data, for laptops to pull)
${ADMIN_USAGE}

  --data-dir DIR   HQ's folder (default ./hq-data, or HQ_DATA_DIR)
  DATABASE_URL     use PostgreSQL for the events instead of SQLite in the data folder`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      label: { type: 'string' },
      device: { type: 'string' },
      hours: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'trust-key': { type: 'boolean' },
      'self-signed': { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const command = positionals[0] ?? 'serve';
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HQ_DATA_DIR ?? 'hq-data');
  const hq = await openHqRuntime({ dataDir, databaseUrl: process.env.DATABASE_URL || undefined });

  switch (command) {
    case 'enroll-code': {
      const hours = values.hours ? Number(values.hours) : 72;
      if (!Number.isFinite(hours) || hours <= 0) throw new Error('--hours must be a positive number');
      const { code, expiresAt } = await issueEnrollmentCode(hq.storage, { label: values.label ?? '', deviceId: values.device ?? null, validHours: hours });
      console.log(`Enrollment code: ${code}`);
      console.log(`Valid once, until ${expiresAt}. Type it on the laptop's Sync screen.`);
      return hq.close();
    }
    case 'revoke': {
      const id = positionals[1];
      if (!id) throw new Error('Usage: npm run hq -- revoke <device-id>');
      const done = await hq.storage.revokeDevice(id, new Date().toISOString());
      console.log(done ? `Revoked ${id}: its token is refused from now on.` : `No active device ${id}.`);
      await hq.close();
      if (!done) process.exitCode = 1;
      return;
    }
    case 'devices': {
      for (const d of await hq.storage.listDevices()) {
        console.log(`${d.deviceId}\t${d.label || '-'}\tenrolled ${d.enrolledAt}\t${d.revokedAt ? `revoked ${d.revokedAt}` : 'active'}\tevents ${d.ackedSeq}`);
      }
      return hq.close();
    }
    case 'seed-demo': {
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
      const report = await importEvents(hq.storage, buildDemoEvents(loadDemoData(path.join(root, 'resources'))));
      await hq.projections.catchUp();
      console.log(`Demo tour: ${report.added} events added, ${report.duplicates} already held.`);
      return hq.close();
    }
    case 'serve': {
      const host = values.host ?? '127.0.0.1';
      const tls = serverTls(values, dataDir, host);
      const https = tls ? { key: tls.key, cert: tls.cert } : undefined;
      const dashboard: DashboardDeps = { storage: hq.storage, projections: hq.projections, admin: new AdminStore(adminStoreFile(dataDir)), dataDir, secureCookies: Boolean(https) };
      const app = buildHqApp({ storage: hq.storage, projections: hq.projections, https, dashboard });
      await hq.projections.catchUp(); // events accepted before a crash but not yet projected
      await app.listen({ host, port: values.port ? Number(values.port) : 8470 });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      console.log(`HQ data folder: ${dataDir}`);
      console.log(`HQ events: ${hq.describe}`);
      console.log(`HQ listening on ${https ? 'https' : 'http'}://${host}:${port}`);
      console.log(`HQ dashboard: ${https ? 'https' : 'http'}://${host}:${port}/dashboard (admins: npm run hq -- add-admin <email>)`);
      if (tls) {
        const shown = host === '0.0.0.0' || host === '::' ? (lanAddresses()[0] ?? '127.0.0.1') : host;
        const address = `https://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
        console.log(`HQ certificate SHA-256: ${tls.fingerprint}${tls.created ? ' (new)' : ''}`);
        if (tls.selfSigned) {
          // The dashboard's enrollment page shows the same (read per request, so set after listening).
          dashboard.hubPin = { address, fingerprint: tls.fingerprint, qrDataUrl: await QRCode.toDataURL(pinText(address, tls.fingerprint), { errorCorrectionLevel: 'L', margin: 2, width: 400 }) };
          console.log(`Desks: on the Sync screen enter the address ${address} and this fingerprint (or scan the code):`);
          console.log(await terminalQr(pinText(address, tls.fingerprint)));
        }
      }
      if (!https && host !== '127.0.0.1' && host !== 'localhost') console.log('Laptops refuse plain http to a non-loopback host: put HQ behind TLS (--tls-key/--tls-cert or a proxy).');
      const stop = async (): Promise<void> => {
        await app.close();
        await hq.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      return;
    }
    default:
      if (await runAdminCommand(command, positionals.slice(1), values, hq)) return hq.close();
      await hq.close();
      console.error(USAGE);
      process.exitCode = 2;
  }
}

/** HTTPS material from --tls-cert/--tls-key (or env), or the hub's own self-signed certificate; none: plain http. */
function serverTls(values: { 'tls-key'?: string; 'tls-cert'?: string; 'self-signed'?: boolean }, dataDir: string, host: string): (TlsMaterial & { selfSigned: boolean; created: boolean }) | null {
  const certFile = values['tls-cert'] ?? (process.env.HQ_TLS_CERT || undefined);
  const keyFile = values['tls-key'] ?? (process.env.HQ_TLS_KEY || undefined);
  const selfSigned = values['self-signed'] ?? ['1', 'true', 'yes'].includes(String(process.env.HQ_SELF_SIGNED ?? '').toLowerCase());
  if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('--tls-cert and --tls-key go together');
  if (certFile && keyFile) {
    if (selfSigned) throw new Error('Use either --tls-cert/--tls-key or --self-signed, not both');
    return { ...loadTls(certFile, keyFile), selfSigned: false, created: false };
  }
  if (!selfSigned) return null;
  const hosts = host === '0.0.0.0' || host === '::' ? lanAddresses() : [host];
  return { ...loadOrCreateSelfSigned(dataDir, { hosts }), selfSigned: true };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
