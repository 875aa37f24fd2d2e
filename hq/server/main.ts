import { readFileSync } from 'node:fs';
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

const USAGE = `Roadshow Desk HQ server

  npm run hq [-- serve] [--port 8470] [--host 127.0.0.1] [--tls-key key.pem --tls-cert cert.pem]
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
      const https = values['tls-key'] && values['tls-cert'] ? { key: readFileSync(values['tls-key']), cert: readFileSync(values['tls-cert']) } : undefined;
      const app = buildHqApp({ storage: hq.storage, projections: hq.projections, https, dashboard: { storage: hq.storage, projections: hq.projections, admin: new AdminStore(adminStoreFile(dataDir)), dataDir, secureCookies: Boolean(https) } });
      await hq.projections.catchUp(); // events accepted before a crash but not yet projected
      const host = values.host ?? '127.0.0.1';
      await app.listen({ host, port: values.port ? Number(values.port) : 8470 });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      console.log(`HQ data folder: ${dataDir}`);
      console.log(`HQ events: ${hq.describe}`);
      console.log(`HQ listening on ${https ? 'https' : 'http'}://${host}:${port}`);
      console.log(`HQ dashboard: ${https ? 'https' : 'http'}://${host}:${port}/dashboard (admins: npm run hq -- add-admin <email>)`);
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

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
