import type { Channel } from '../../shared/contract';
import { mergeUnique } from '../../shared/mergeUnique';
import { appHandlers } from './appHandlers';
import { boothHandlers } from './boothHandlers';
import { bundleHandlers } from './bundleHandlers';
import { stopCloseHandlers } from './stopCloseHandlers';
import { checkinHandlers } from './checkinHandlers';
import { consultationHandlers } from './consultationHandlers';
import { conflictHandlers } from './conflictHandlers';
import { purgeHandlers } from './purgeHandlers';
import { importRejectsHandlers } from './importRejectsHandlers';
import type { Handler } from './handler';
import { masterDataHandlers } from './masterDataHandlers';
import { securityHandlers } from './securityHandlers';
import { sessionCheckinHandlers } from './sessionCheckinHandlers';
import { syncHandlers } from './syncHandlers';
import { hubHandlers } from './hubHandlers';
import { tourPlanHandlers } from './tourPlanHandlers';
import { tourSheetHandlers } from './tourSheetHandlers';
import { noShowHandlers } from './noShowHandlers';
import { attendeeCorrectionHandlers } from './attendeeCorrectionHandlers';
import { updateHandlers } from './updateHandlers';
import { importProgressHandlers } from './importProgressHandlers';
import { consentHandlers } from './consentHandlers';
import { programHandlers } from './programHandlers';
import { bootHandlers } from './bootHandlers';

/**
 * The implementation of the whole contract. Typed as a full map, so a channel without a handler
 * fails tsc (Signal's DataReader); a channel handled twice throws at load (Actual's createApp).
 */
export const handlers: { [C in Channel]: Handler<C> } = mergeUnique(appHandlers, masterDataHandlers, checkinHandlers, consultationHandlers, boothHandlers, securityHandlers, syncHandlers, hubHandlers, bundleHandlers, stopCloseHandlers, tourPlanHandlers, tourSheetHandlers, sessionCheckinHandlers, noShowHandlers, conflictHandlers, purgeHandlers, importRejectsHandlers, attendeeCorrectionHandlers, updateHandlers, importProgressHandlers, consentHandlers, programHandlers, bootHandlers);
