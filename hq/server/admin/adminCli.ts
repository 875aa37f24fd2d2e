import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { AppError } from '../../../shared/errors';
import type { HqRuntime } from '../hqRuntime';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { AccountError, AdminStore } from './adminStore';
import { describeBundleReport, importBundleAtHq } from './bundleImport';

export const ADMIN_USAGE = `  npm run hq -- import-bundle <file.rsbundle> [--trust-key]   (a laptop's USB bundle)
  npm run hq -- add-admin <email> [--label "Name"]   (password from HQ_ADMIN_PASSWORD or typed)
  npm run hq -- add-institution-user <email> --institution <id> [--label "Name"]
      (an institution's staff account for the portal at /portal; password from HQ_ADMIN_PASSWORD or typed)
  npm run hq -- institution-users   (every institution account: email, institution, status)`;

export function adminStoreFile(dataDir: string): string {
  return path.join(dataDir, 'hq-admin.sqlite');
}

async function readPassword(): Promise<string> {
  if (process.env.HQ_ADMIN_PASSWORD) return process.env.HQ_ADMIN_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  const line = await rl.question('Password (at least 12 characters): ');
  rl.close();
  return line.trim();
}

/** HQ CLI commands of issue #8; answers false for a command it does not know. */
export async function runAdminCommand(command: string, args: readonly string[], values: { label?: string | undefined; 'trust-key'?: boolean | undefined; institution?: string | undefined }, hq: HqRuntime): Promise<boolean> {
  switch (command) {
    case 'import-bundle': {
      const file = args[0];
      if (!file) throw new Error('Usage: npm run hq -- import-bundle <file.rsbundle> [--trust-key]');
      try {
        const report = await importBundleAtHq(hq.storage, hq.projections, readFileSync(file), { trustKey: values['trust-key'] === true });
        for (const line of describeBundleReport(report)) console.log(line);
        if (report.rejected > 0) process.exitCode = 1;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        console.error(`Refused, nothing imported: ${err.message}${err.details?.reason === 'unknown_key' ? ' Add --trust-key to trust the key in the bundle.' : ''}`);
        process.exitCode = 1;
      }
      return true;
    }
    case 'add-admin': {
      const email = args[0];
      if (!email) throw new Error('Usage: npm run hq -- add-admin <email> [--label "Name"]');
      const store = new AdminStore(adminStoreFile(hq.dataDir));
      try {
        const admin = store.addAdmin(email, values.label ?? email, await readPassword());
        console.log(`HQ admin ${admin.email} can sign in to the dashboard.`);
      } finally {
        store.close();
      }
      return true;
    }
    case 'add-institution-user': {
      const email = args[0];
      const institutionId = values.institution;
      if (!email || !institutionId) {
        console.error('Usage: npm run hq -- add-institution-user <email> --institution <id> [--label "Name"]');
        process.exitCode = 2;
        return true;
      }
      await hq.projections.catchUp();
      // By id or short name (case-insensitive), as the tour commands take it.
      const all = createMasterDataQueries(hq.projections.store.db).institutions();
      const institution = all.find((i) => i.id === institutionId) ?? all.find((i) => i.shortName.toLowerCase() === institutionId.toLowerCase());
      if (!institution) {
        console.error(`--institution: no institution ${institutionId} at HQ (npm run hq -- institution list shows them)`);
        process.exitCode = 2;
        return true;
      }
      const store = new AdminStore(adminStoreFile(hq.dataDir));
      try {
        const { account } = store.addInstitutionUser({ email, name: values.label ?? email, institutionId: institution.id, password: await readPassword(), createdBy: 'cli' });
        console.log(`${account.email} can sign in to the institution portal of ${institution.shortName} (/portal).`);
      } catch (err) {
        if (!(err instanceof AccountError)) throw err;
        console.error(`${err.field === 'password' ? 'Password' : '<email>'}: ${err.message}`);
        process.exitCode = 2;
      } finally {
        store.close();
      }
      return true;
    }
    case 'institution-users': {
      const store = new AdminStore(adminStoreFile(hq.dataDir));
      try {
        for (const a of store.listInstitutionAccounts()) {
          console.log(`${a.email}\t${a.institutionId}\t${a.name}\t${a.deactivatedAt ? `deactivated ${a.deactivatedAt}` : a.setupPendingUntil ? `setup link until ${a.setupPendingUntil}` : 'active'}`);
        }
      } finally {
        store.close();
      }
      return true;
    }
    default:
      return false;
  }
}
