import { AppError } from '../../shared/errors';
import type { HandlerMap } from './handler';

// Placeholder while the tour spreadsheet is built (issue #18); replaced before it lands.
const pending = (): never => {
  throw new AppError('INTERNAL', 'The tour spreadsheet is not built yet');
};

export const tourSheetHandlers: HandlerMap<'tourSheet:template' | 'tourSheet:check' | 'tourSheet:apply' | 'tourSheet:export'> = {
  'tourSheet:template': pending,
  'tourSheet:check': pending,
  'tourSheet:apply': pending,
  'tourSheet:export': pending,
};
