import { Alert, Badge, Button, Card, Divider, Group, List, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentInput, ConsultationContent, ConsultationDetail } from '../../shared/schemas/consultations';
import { CURRENT_CONSENT_TEXT_VERSION } from '../../shared/consentTexts';
import type { Program } from '../../shared/schemas/programs';
import { programNames } from '../util/programmes';
import { errorMessage } from '../i18n/errorMessage';
import { formatName, formatTime } from '../i18n/formatName';
import { ConsentFields, consentDraftErrors, emptyConsentDraft, type ConsentDraft, type ConsentErrors } from './ConsentFields';

export interface ConsultationDetailViewProps {
  detail: ConsultationDetail;
  institutionName: string;
  timeZone: string;
  /** Programmes this desk holds (issue #21), to name the ones the consultation names. */
  programs?: Program[];
  /** Who resolves a conflict, pre-filled (the staff member last using this desk). */
  defaultEditor: string;
  onEdit(): void;
  onKeepVersion(revisionId: string, editor: string): Promise<unknown>;
  onRecordConsent(consent: ConsentInput): Promise<unknown>;
  onClose(): void;
}

function ContentSummary({ c, programs }: { c: ConsultationContent; programs: Program[] }) {
  const { t, i18n } = useTranslation();
  const rows: [string, string][] = [
    [t('consultations.form.staff'), c.staffName],
    [t('consultations.form.fields'), [...c.fields.map((f) => t(`field.${f}`)), ...c.otherFields].join(', ')],
    [t('consultations.form.careerStage'), t(`careerStage.${c.careerStage}`)],
    [t('programmes.label'), programNames(programs, c.programIds, i18n.language).join(', ')],
    [c.programIds.length ? t('programmes.legacy') : t('consultations.form.programs'), c.programs.map((p) => t(`consultations.program.${p}`)).join(', ')],
    [t('consultations.form.interest'), t(`consultations.interest.${c.interestLevel}`)],
    [t('consultations.form.preferredStart'), c.preferredStart],
    [t('consultations.form.followUpAction'), c.followUpAction],
    [t('consultations.form.followUpOwner'), c.followUpOwner],
    [t('consultations.form.followUpDue'), c.followUpDue],
    [t('consultations.form.followUpStatus'), t(`consultations.status.${c.followUpStatus}`)],
    [t('consultations.form.notes'), c.notes],
  ];
  return (
    <SimpleGrid cols={2} spacing={4} verticalSpacing={2} style={{ gridTemplateColumns: 'max-content 1fr' }}>
      {rows
        .filter(([, v]) => v)
        .flatMap(([k, v]) => [
          <Text key={`${k}-k`} size="sm" c="dimmed">
            {k}
          </Text>,
          <Text key={`${k}-v`} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {v}
          </Text>,
        ])}
    </SimpleGrid>
  );
}

/** One consultation: what it says now, its consent, who changed what and when, and conflict resolution. */
export function ConsultationDetailView({ detail: d, institutionName, timeZone, programs = [], defaultEditor, onEdit, onKeepVersion, onRecordConsent, onClose }: ConsultationDetailViewProps) {
  const { t, i18n } = useTranslation();
  // Nothing chosen until the person says (issue #22).
  const [consent, setConsent] = useState<ConsentDraft>(emptyConsentDraft);
  const [consentErrors, setConsentErrors] = useState<ConsentErrors>({});
  // A refused consent, said beside its Save button.
  const [consentFailure, setConsentFailure] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editor, setEditor] = useState(defaultEditor);
  const [editorError, setEditorError] = useState<string | undefined>();
  const when = (iso: string) => formatTime(iso, i18n.language, timeZone);
  const keys = (ks: string[]) => (ks.length ? ks.map((k) => (k === 'programIds' ? t('programmes.key') : t(`consultations.key.${k}`))).join(', ') : t('consultations.detail.nothing'));
  const heads = d.history.filter((h) => d.headRevisionIds.includes(h.revisionId)).reverse();
  const person = d.person ? formatName(d.person) || d.person.email : null;

  async function run(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Stack gap={0}>
          <Title order={3}>{person ?? (d.visitorLabel ? `${t('consultations.anonymous')} (${d.visitorLabel})` : t('consultations.anonymous'))}</Title>
          <Text size="sm" c="dimmed">
            {[institutionName, when(d.loggedAt), d.person?.affiliation, d.person?.email].filter(Boolean).join(' · ')}
          </Text>
        </Stack>
        <Group gap={4}>
          {d.bookingId && <Badge variant="light">{t('consultations.booking')}</Badge>}
          <Badge variant="outline" color="gray">
            {t('consultations.revisions', { count: d.revisionCount })}
          </Badge>
        </Group>
      </Group>
      {error && (
        <Text c="red" role="alert">
          {error}
        </Text>
      )}
      {d.conflict ? (
        <Stack gap="xs">
          <Alert color="red" title={t('consultations.conflictBadge')} role="alert">
            {t('consultations.detail.conflict')}
          </Alert>
          <TextInput label={t('consultations.form.editor')} value={editor} onChange={(e) => setEditor(e.currentTarget.value)} error={editorError} required w={320} />
          <SimpleGrid cols={{ base: 1, sm: heads.length > 1 ? 2 : 1 }}>
            {heads.map((h) => (
              <Card key={h.revisionId} withBorder padding="sm" aria-label={t('consultations.detail.version', { editor: h.editor, time: when(h.at) })}>
                <Stack gap="xs">
                  <Text fw={600} size="sm">
                    {t('consultations.detail.version', { editor: h.editor, time: when(h.at) })}
                  </Text>
                  <ContentSummary c={h.content} programs={programs} />
                  <Button size="xs" onClick={() => {
                      if (!editor.trim()) return setEditorError(t('errors.required'));
                      setEditorError(undefined);
                      void run(() => onKeepVersion(h.revisionId, editor.trim()));
                    }} aria-label={t('consultations.detail.keepBy', { editor: h.editor })}>
                    {t('consultations.detail.keep')}
                  </Button>
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
        </Stack>
      ) : (
        <ContentSummary c={d.content} programs={programs} />
      )}
      {d.person && (
        <>
          <Divider label={t('consultations.consent.title')} labelPosition="left" />
          <ConsentFields
            current={d.consent}
            covers={d.consent ? d.consentCoversInstitution : null}
            value={consent}
            onChange={(patch) => setConsent((c) => ({ ...c, ...patch }))}
            errors={consentErrors}
          />
          {consent.record && (
            <Group>
              <Button
                size="xs"
                variant="light"
                onClick={() => {
                  const errs = consentDraftErrors(consent, (f) => t(f === 'scope' ? 'consentFit.scopeRequired' : 'consentFit.agreedRequired'));
                  setConsentErrors(errs);
                  setConsentFailure(null);
                  if (errs.scope || errs.agreed || !consent.scope) return;
                  const scope = consent.scope;
                  void (async () => {
                    try {
                      await onRecordConsent({ scope, textVersion: CURRENT_CONSENT_TEXT_VERSION });
                      setConsent(emptyConsentDraft());
                    } catch (err) {
                      setConsentFailure(errorMessage(t, err));
                    }
                  })();
                }}
              >
                {t('consultations.consent.save')}
              </Button>
              {consentFailure && (
                <Text c="red" size="sm" role="alert">
                  {consentFailure}
                </Text>
              )}
            </Group>
          )}
        </>
      )}
      <Divider label={t('consultations.detail.history')} labelPosition="left" />
      <List spacing={4} size="sm" aria-label={t('consultations.detail.history')}>
        {d.history.map((h) => (
          <List.Item key={h.revisionId}>
            <Text size="sm" span fw={500}>
              {h.kind === 'logged'
                ? t('consultations.detail.logged', { editor: h.editor })
                : t(`consultations.detail.${h.kind}`, { editor: h.editor, keys: keys(h.changed) })}
            </Text>{' '}
            <Text size="xs" c="dimmed" span>
              {t('consultations.detail.where', { desk: h.desk || t('deskFit.unknownDesk'), time: when(h.at) })}
            </Text>
            {h.head && d.conflict && (
              <Badge ml={6} size="xs" color="red">
                {t('consultations.conflictBadge')}
              </Badge>
            )}
          </List.Item>
        ))}
      </List>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('consultations.detail.close')}
        </Button>
        {!d.conflict && <Button onClick={onEdit}>{t('consultations.detail.edit')}</Button>}
      </Group>
    </Stack>
  );
}
