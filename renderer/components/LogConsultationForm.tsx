import { Button, Checkbox, Divider, Group, Select, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogConsultationInput } from '../../shared/ipc/consultationsContract';
import type { BoothView } from '../../shared/ipc/masterDataContract';
import type { RegistrationView } from '../../shared/schemas/attendees';
import type { ConsentView, ConsultationContent } from '../../shared/schemas/consultations';
import type { Institution } from '../../shared/schemas/masterData';
import type { Program } from '../../shared/schemas/programs';
import { CURRENT_CONSENT_TEXT_VERSION } from '../../shared/consentTexts';
import { errorMessage } from '../i18n/errorMessage';
import { formatTime } from '../i18n/formatName';
import { AttendeePicker, type AttendeeMode } from './AttendeePicker';
import { ConsentFields, consentDraftErrors, emptyConsentDraft, type ConsentDraft } from './ConsentFields';
import { programmesOffered, refusedProgrammes } from '../util/programmes';
import { ConsultationContentFields, emptyConsultationContent, validateConsultationContent } from './ConsultationContentFields';

export interface LogConsultationFormProps {
  stopId: string;
  timeZone: string;
  booths: BoothView[];
  institutions: Institution[];
  defaultInstitutionId: string | null;
  /**
   * The only institution this person logs for (booth staff): chosen and locked, with the reason said
   * beside it. Null: any institution of the stop.
   */
  lockedInstitutionId?: string | null;
  defaultStaffName: string;
  /** Every programme this desk holds (issue #21): the form offers the chosen institution's and the national ones. */
  programs?: Program[];
  onScan(token: string): Promise<RegistrationView | null>;
  onSearch(query: string): Promise<RegistrationView[]>;
  onConsent(attendeeId: string): Promise<ConsentView | null>;
  onSubmit(input: LogConsultationInput): Promise<unknown>;
  onCancel(): void;
}

/** Booked consultations, when the desk's registration view carries them (the booths feature, issue #5). */
interface BookingRef {
  bookingId: string;
  institution: string;
  slotStart: string | null;
}
function bookingsOf(r: RegistrationView | null): BookingRef[] {
  const list = (r as { bookings?: unknown } | null)?.bookings;
  return Array.isArray(list) ? (list as BookingRef[]).filter((b) => typeof b.bookingId === 'string') : [];
}

function covers(consent: ConsentView | null, institutionId: string | null): boolean | null {
  if (!institutionId || !consent) return null;
  return consent.scope === 'all_institutions' || (consent.scope === 'institution' && consent.institutionId === institutionId);
}

/** The booth's quick form: who, which institution and staff, what was discussed, what happens next, consent. */
export function LogConsultationForm(p: LogConsultationFormProps) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<AttendeeMode>('scan');
  const [registration, setRegistration] = useState<RegistrationView | null>(null);
  const [visitorLabel, setVisitorLabel] = useState('');
  const locked = p.lockedInstitutionId ?? null;
  const [institutionId, setInstitutionId] = useState<string | null>(locked ?? p.defaultInstitutionId ?? (p.booths.length === 1 ? p.booths[0]!.institutionId : null));
  const [content, setContent] = useState<ConsultationContent>(() => emptyConsultationContent(p.defaultStaffName));
  // Nothing recorded and nothing chosen until the person says (issue #22).
  const [consent, setConsent] = useState<ConsentDraft>(emptyConsentDraft);
  const [current, setCurrent] = useState<ConsentView | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [linkBooking, setLinkBooking] = useState(true);

  const booth = p.booths.find((b) => b.institutionId === institutionId) ?? null;
  // A booking of this person with this institution at this stop: the consultation is linked to it.
  const booking = booth ? (bookingsOf(registration).find((b) => b.institution === booth.institution.shortName) ?? null) : null;
  const institutionOptions = useMemo(() => {
    const withBooth = p.booths.map((b) => b.institution);
    const all = withBooth.length ? withBooth : p.institutions;
    const list = locked !== null ? p.institutions.filter((i) => i.id === locked) : all;
    return list.map((i) => ({ value: i.id, label: `${i.shortName} · ${i18n.language === 'ko' && i.nameKo ? i.nameKo : i.name}` }));
  }, [p.booths, p.institutions, locked, i18n.language]);

  const offered = useMemo(() => programmesOffered(p.programs ?? [], institutionId), [p.programs, institutionId]);
  const institutionShort = p.institutions.find((i) => i.id === institutionId)?.shortName ?? booth?.institution.shortName ?? null;
  // Another institution: the programmes it does not offer are dropped (national ones stay).
  useEffect(() => {
    setContent((c) => (c.programIds.every((id) => offered.some((o) => o.id === id)) ? c : { ...c, programIds: c.programIds.filter((id) => offered.some((o) => o.id === id)) }));
  }, [offered]);

  async function select(r: RegistrationView | null) {
    setRegistration(r);
    setErrors((e) => ({ ...e, attendee: '' }));
    if (!r) {
      setCurrent(null);
      return;
    }
    // Pre-fill what the desk already knows about the person.
    setContent((c) => ({ ...c, careerStage: r.attendee.careerStage, fields: c.fields.length ? c.fields : r.attendee.fields }));
    const existing = await p.onConsent(r.attendee.id);
    setCurrent(existing);
  }

  useEffect(() => {
    if (mode === 'anonymous') void select(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = { ...validateConsultationContent(content, t) };
    if (!registration && mode !== 'anonymous') errs.attendee = t('consultations.form.needsAttendee');
    if (!institutionId) errs.institution = t('errors.required');
    const recording = registration !== null && consent.record;
    if (recording) {
      const c = consentDraftErrors(consent, (f) => t(f === 'scope' ? 'consentFit.scopeRequired' : 'consentFit.agreedRequired'));
      if (c.scope) errs.consentScope = c.scope;
      if (c.agreed) errs.consentAgreed = c.agreed;
    }
    setErrors(errs);
    if (Object.values(errs).some(Boolean)) return;
    setBusy(true);
    setFormError(null);
    try {
      await p.onSubmit({
        stopId: p.stopId,
        institutionId: institutionId!,
        boothId: booth?.id ?? null,
        bookingId: booking && linkBooking ? booking.bookingId : null,
        registrationId: registration?.registrationId ?? null,
        visitorLabel: registration ? '' : visitorLabel,
        content,
        consent: recording && consent.scope ? { scope: consent.scope, textVersion: CURRENT_CONSENT_TEXT_VERSION } : null,
      });
    } catch (err) {
      // the form keeps what was typed; a refused programme is said beside the programmes
      if (refusedProgrammes(err)) setErrors((e) => ({ ...e, programIds: t('programmes.notOffered') }));
      else setFormError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label={t('consultations.form.title')} noValidate>
      <Stack gap="sm">
        <AttendeePicker
          mode={mode}
          onModeChange={setMode}
          selected={registration}
          onSelect={(r) => void select(r)}
          visitorLabel={visitorLabel}
          onVisitorLabel={setVisitorLabel}
          onScan={p.onScan}
          onSearch={p.onSearch}
          error={errors.attendee || undefined}
        />
        <Select
          label={t('consultations.form.institution')}
          data={institutionOptions}
          value={institutionId}
          onChange={setInstitutionId}
          searchable={locked === null}
          disabled={locked !== null}
          description={locked !== null ? t('roleFit.institutionLocked') : undefined}
          error={errors.institution || (locked === '' ? t('roleFit.noInstitution') : undefined)}
          required
        />
        {booking && (
          <Checkbox
            label={t('consultations.form.linkBooking', {
              institution: booking.institution,
              time: booking.slotStart ? formatTime(booking.slotStart, i18n.language, p.timeZone) : '',
            })}
            checked={linkBooking}
            onChange={(e) => setLinkBooking(e.currentTarget.checked)}
          />
        )}
        <ConsultationContentFields
          value={content}
          onChange={(patch) => setContent((c) => ({ ...c, ...patch }))}
          errors={errors}
          staffOptions={booth?.staff ?? []}
          programmes={p.programs ? { offered, institution: institutionId ? institutionShort : null } : undefined}
        />
        <Divider label={t('consultations.consent.title')} labelPosition="left" />
        {registration ? (
          <ConsentFields
            current={current}
            covers={covers(current, institutionId)}
            value={consent}
            onChange={(patch) => setConsent((d) => ({ ...d, ...patch }))}
            errors={{ scope: errors.consentScope || undefined, agreed: errors.consentAgreed || undefined }}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {mode === 'anonymous' ? t('consultations.consent.anonymous') : t('consultations.form.needsAttendee')}
          </Text>
        )}
        {formError && (
          <Text c="red" role="alert">
            {formError}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onCancel}>
            {t('consultations.form.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('consultations.form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
