/** Vocabularies from shared/DOMAIN.md. Labels live in renderer/i18n; these are the stable keys. */
export const CAREER_STAGES = ['student', 'postdoc', 'professor', 'researcher', 'job_seeker', 'industry', 'other'] as const;
export type CareerStage = (typeof CAREER_STAGES)[number];

export const RESEARCH_FIELDS = [
  'ai',
  'semiconductors',
  'bio',
  'aerospace',
  'quantum',
  'energy',
  'robotics',
  'manufacturing',
  'communications',
  'nano',
  'healthcare',
] as const;
export type ResearchField = (typeof RESEARCH_FIELDS)[number];

export const INSTITUTION_KINDS = ['university', 'research_institute', 'agency', 'company', 'association'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const STOP_KINDS = ['joint_briefing', 'campus_roadshow', 'company_ir'] as const;
export type StopKind = (typeof STOP_KINDS)[number];

/** What happens in a stop's programme (the sessions of a stop). */
export const SESSION_KINDS = ['policy_briefing', 'booth_hours', 'ir_round', 'campus_talk', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const REGISTRATION_SOURCES = ['preregistered', 'walk_in', 'import'] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];

export const PROGRAMS = ['innocore_postdoc', 'brain_to_korea', 'faculty', 'researcher', 'industry', 'collaboration'] as const;
export type Program = (typeof PROGRAMS)[number];

export const CONSENT_SCOPES = ['institution', 'all_institutions', 'hq_stats'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The consent text the forms show now: the wording of every version is in shared/consentTexts.ts. */
export { CURRENT_CONSENT_TEXT_VERSION } from './consentTexts';

/** What kind of programme an institution (or the nation) recruits for (issue #21: programmes as master data). */
export const PROGRAM_KINDS = ['postdoc', 'faculty', 'researcher', 'fellowship', 'industry', 'collaboration', 'other'] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];

/**
 * Where a lead stands after the stop (issue #21), as an institution's staff record it over time. The order is the
 * funnel's: a later status does not erase an earlier one, each is an event with its own date.
 */
export const OUTCOME_STATUSES = ['contacted', 'interview', 'applied', 'offer', 'hired', 'collaboration', 'declined', 'lost'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
