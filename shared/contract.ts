import type { z } from 'zod';
import { mergeUnique } from './mergeUnique';
import { appContract } from './ipc/appContract';
import { checkinContract } from './ipc/checkinContract';
import { masterDataContract } from './ipc/masterDataContract';

/**
 * The one API of the app: every call the renderer can make, with zod schemas for its input and
 * output. Electron's IPC bridge and browser mode's HTTP host both dispatch through core/api with
 * these schemas. A feature adds shared/ipc/<feature>Contract.ts and lists it here.
 */
export const contract = mergeUnique(appContract, masterDataContract, checkinContract);

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ApiInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ApiParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ApiOutput<C extends Channel> = z.output<Contract[C]['output']>;
export const CHANNELS = Object.keys(contract) as Channel[];
export const isChannel = (value: string): value is Channel => Object.prototype.hasOwnProperty.call(contract, value);
