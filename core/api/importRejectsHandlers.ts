import type { importRejectsContract } from '../../shared/ipc/importRejectsContract';
import { importRunner } from '../import/importRunner';
import type { HandlerMap } from './handler';

export const importRejectsHandlers: HandlerMap<keyof typeof importRejectsContract> = {
  // In the import worker, where the upload and its plan are.
  'import:rejectedRows': (input, ctx) => importRunner(ctx.store).call('rejectedRows', input),
};
