import type { importProgressContract } from '../../shared/ipc/importProgressContract';
import { importRunner } from '../import/importRunner';
import type { HandlerMap } from './handler';

export const importProgressHandlers: HandlerMap<keyof typeof importProgressContract> = {
  // Read from counters the import threads share with the host: answered at once, even mid-commit.
  'import:progress': ({ uploadId }, ctx) => importRunner(ctx.store).progress(uploadId),
};
