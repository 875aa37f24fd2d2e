import { AppError } from '../../shared/errors';
import type { HandlerMap } from './handler';

// Placeholder while tour planning is built (issue #18); replaced before it lands.
const pending = (): never => {
  throw new AppError('INTERNAL', 'Tour planning is not built yet');
};

export const tourPlanHandlers: HandlerMap<'tours:list' | 'tour:upsert' | 'stop:upsert' | 'sessions:list' | 'session:upsert' | 'institution:upsert' | 'booth:upsert' | 'booth:remove' | 'booths:copyFromStop' | 'staff:plan'> = {
  'tours:list': pending,
  'tour:upsert': pending,
  'stop:upsert': pending,
  'sessions:list': pending,
  'session:upsert': pending,
  'institution:upsert': pending,
  'booth:upsert': pending,
  'booth:remove': pending,
  'booths:copyFromStop': pending,
  'staff:plan': pending,
};
