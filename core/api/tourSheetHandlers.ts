import { AppError } from '../../shared/errors';
import type { HandlerMap } from './handler';

// Placeholder while the tour spreadsheet is built (issue #18); replaced before it lands.
const pending = (): never => {
  throw new AppError('INTERNAL', 'The tour spreadsheet is not built yet');
};

export const tourSheetHandlers: HandlerMap<'tourplan:template' | 'tourplan:check' | 'tourplan:apply' | 'tourplan:export'> = {
  'tourplan:template': pending,
  'tourplan:check': pending,
  'tourplan:apply': pending,
  'tourplan:export': pending,
};
