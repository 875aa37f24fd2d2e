import type { z } from 'zod';
import { mergeUnique } from './mergeUnique';
import { appContract } from './ipc/appContract';
import { boothsContract } from './ipc/boothsContract';
import { bundleContract } from './ipc/bundleContract';
import { stopCloseContract } from './ipc/stopCloseContract';
import { checkinContract } from './ipc/checkinContract';
import { consultationsContract } from './ipc/consultationsContract';
import { masterDataContract } from './ipc/masterDataContract';
import { securityContract } from './ipc/securityContract';
import { syncContract } from './ipc/syncContract';
import { hubContract } from './ipc/hubContract';
import { tourPlanContract } from './ipc/tourPlanContract';
import { sessionCheckinContract } from './ipc/sessionCheckinContract';
import { noShowContract } from './ipc/noShowContract';
import { conflictsContract } from './ipc/conflictsContract';
import { purgeContract } from './ipc/purgeContract';
import { importRejectsContract } from './ipc/importRejectsContract';
import { attendeeCorrectionContract } from './ipc/attendeeCorrectionContract';
import { updateContract } from './ipc/updateContract';
import { importProgressContract } from './ipc/importProgressContract';
import { consentContract } from './ipc/consentContract';
import { programsContract } from './ipc/programsContract';
import { bootContract } from './ipc/bootContract';

/**
 * The one API of the app: every call the renderer can make, with zod schemas for its input and
 * output. Electron's IPC bridge and browser mode's HTTP host both dispatch through core/api with
 * these schemas. A feature adds shared/ipc/<feature>Contract.ts and lists it here.
 */
export const contract = mergeUnique(appContract, masterDataContract, checkinContract, boothsContract, consultationsContract, securityContract, syncContract, hubContract, bundleContract, stopCloseContract, tourPlanContract, sessionCheckinContract, noShowContract, conflictsContract, purgeContract, importRejectsContract, attendeeCorrectionContract, updateContract, importProgressContract, consentContract, programsContract, bootContract);

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ApiInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ApiParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ApiOutput<C extends Channel> = z.output<Contract[C]['output']>;
export const CHANNELS = Object.keys(contract) as Channel[];
export const isChannel = (value: string): value is Channel => Object.prototype.hasOwnProperty.call(contract, value);
