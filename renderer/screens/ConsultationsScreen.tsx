import { Alert, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Stop } from '../../shared/schemas/masterData';
import { ConsultationDetailView } from '../components/ConsultationDetailView';
import { ConsultationFiltersBar } from '../components/ConsultationFiltersBar';
import { ConsultationTable } from '../components/ConsultationTable';
import { EditConsultationForm } from '../components/EditConsultationForm';
import { FollowUpExportPanel } from '../components/FollowUpExportPanel';
import { LogConsultationForm } from '../components/LogConsultationForm';
import { errorMessage } from '../i18n/errorMessage';
import { formatName } from '../i18n/formatName';
import { selectLanguage, useAppStore } from '../state/appStore';
import { useConsultationsStore, type ConsultationNotice } from '../state/consultationsStore';
import { useOwnInstitution } from '../state/permissions';
import { useProgramsStore } from '../state/programsStore';

function NoticeBanner({ notice, onClose }: { notice: ConsultationNotice; onClose(): void }) {
  const { t } = useTranslation();
  let text: string;
  // A title that says what happened (issue #22), the details under it.
  let title: string;
  let color = 'teal';
  switch (notice.kind) {
    case 'logged': {
      const p = notice.detail.person;
      title = t('roleFit.notice.logged');
      text = t('consultations.form.saved', { name: p ? formatName(p) : t('consultations.anonymous') });
      break;
    }
    case 'edited':
      title = t('roleFit.notice.edited');
      text = t('consultations.detail.editedNotice');
      break;
    case 'resolved':
      title = t('roleFit.notice.resolved');
      text = t('consultations.detail.resolvedNotice');
      break;
    case 'consent':
      title = t('roleFit.notice.consent');
      text = t('consultations.consent.saved');
      break;
    case 'exported':
      title = t('roleFit.notice.exported');
      text = `${t('consultations.export.done', { count: notice.file.rowCount, filename: notice.file.filename })} ${t('consultations.export.excluded', {
        noConsent: notice.file.excludedNoConsent,
        anonymous: notice.file.excludedAnonymous,
      })}`;
      break;
    case 'exportError':
      title = t('roleFit.notice.exportFailed');
      text = errorMessage(t, notice.error);
      color = 'red';
      break;
    case 'error':
      title = t('roleFit.notice.failed');
      text = errorMessage(t, notice.error);
      color = 'red';
      break;
  }
  const failed = notice.kind === 'error' || notice.kind === 'exportError';
  return (
    <Alert color={color} title={title} withCloseButton onClose={onClose} closeButtonLabel={t('consultations.detail.close')} role={failed ? 'alert' : 'status'}>
      {text}
    </Alert>
  );
}

/** Booth consultations at the current stop: log, list and filter, open and edit, export follow-ups. */
export function ConsultationsScreen({ stop }: { stop: Stop }) {
  const { t } = useTranslation();
  const s = useConsultationsStore();
  const language = useAppStore(selectLanguage);
  const [logOpen, setLogOpen] = useState(false);
  // Programmes HQ planned may arrive by sync while the screen is open: read again whenever the form opens.
  useEffect(() => {
    if (logOpen) void useProgramsStore.getState().load();
  }, [logOpen]);
  const [editing, setEditing] = useState(false);

  const programs = useProgramsStore((p) => p.programs);
  const loadPrograms = useProgramsStore((p) => p.load);
  useEffect(() => {
    void s.load(stop.id);
    void loadPrograms();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stop.id]);

  const selected = s.selected;
  // Booth staff work for one institution (issue #22): it is chosen for them and locked, everywhere on this screen.
  const own = useOwnInstitution();
  const allHere = s.booths.length ? s.booths.map((b) => b.institution) : s.institutions;
  const institutionsHere = own !== null ? s.institutions.filter((i) => i.id === own) : allHere;
  // Where a notice shows: an export's in the export panel; one about the open consultation in its window; the rest on top.
  const notice = s.notice;
  const exportNotice = notice && (notice.kind === 'exported' || notice.kind === 'exportError') ? notice : null;
  const modalNotice = notice && !exportNotice && selected !== null && notice.kind !== 'logged' ? notice : null;
  const screenNotice = notice && !exportNotice && !modalNotice ? notice : null;
  const institutionName = (id: string) => s.institutions.find((i) => i.id === id)?.shortName ?? id;
  const staffOf = (institutionId: string) => s.booths.find((b) => b.institutionId === institutionId)?.staff ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={2}>{t('consultations.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('consultations.intro')}
          </Text>
        </Stack>
        <Button size="md" onClick={() => setLogOpen(true)}>
          {t('consultations.newConsultation')}
        </Button>
      </Group>
      {screenNotice && <NoticeBanner notice={screenNotice} onClose={s.clearNotice} />}
      <ConsultationFiltersBar value={s.filters} onChange={(patch) => void s.setFilters(patch)} institutions={institutionsHere} otherFields={s.list?.otherFields ?? []} />
      <Text size="sm" c="dimmed" aria-live="polite">
        {s.list ? t('consultations.filters.count', { count: s.list.total }) : t('app.loading')}
      </Text>
      {s.list && s.list.items.length > 0 ? (
        <ConsultationTable items={s.list.items} timeZone={stop.timeZone} onOpen={(id) => void s.open(id)} />
      ) : (
        s.list && <Text c="dimmed">{t('consultations.none')}</Text>
      )}
      <FollowUpExportPanel
        institutions={institutionsHere}
        defaultInstitutionId={own ?? s.filters.institutionId ?? s.lastInstitutionId}
        locked={own !== null}
        outcome={exportNotice && <NoticeBanner notice={exportNotice} onClose={s.clearNotice} />}
        onExport={(institutionId, wholeTour, format) => s.exportFollowUps({ institutionId, stopId: wholeTour ? null : stop.id, format, language })}
      />

      <Modal opened={logOpen} onClose={() => setLogOpen(false)} title={t('consultations.form.title')} size="xl">
        <LogConsultationForm
          stopId={stop.id}
          timeZone={stop.timeZone}
          booths={s.booths}
          institutions={s.institutions}
          defaultInstitutionId={s.lastInstitutionId}
          lockedInstitutionId={own}
          defaultStaffName={s.lastStaffName}
          programs={programs}
          onScan={(token) => s.lookupToken(stop.id, token)}
          onSearch={(q) => s.searchAttendees(stop.id, q)}
          onConsent={(id) => s.attendeeConsent(id)}
          onSubmit={async (input) => {
            await s.log(input);
            setLogOpen(false);
          }}
          onCancel={() => setLogOpen(false)}
        />
      </Modal>

      <Modal
        opened={selected !== null}
        onClose={() => {
          setEditing(false);
          s.close();
        }}
        title={editing ? t('consultations.form.editTitle') : t('consultations.detail.title')}
        size="xl"
      >
        {modalNotice && (
          <Stack mb="sm">
            <NoticeBanner notice={modalNotice} onClose={s.clearNotice} />
          </Stack>
        )}
        {selected &&
          (editing ? (
            <EditConsultationForm
              key={selected.currentRevisionId}
              detail={selected}
              staffOptions={staffOf(selected.institutionId)}
              defaultEditor={s.lastStaffName}
              programs={programs}
              institutionName={institutionName(selected.institutionId)}
              onSubmit={async (editor, content) => {
                await s.edit({ consultationId: selected.consultationId, baseRevisionId: selected.currentRevisionId, editor, content });
                setEditing(false);
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <ConsultationDetailView
              detail={selected}
              institutionName={institutionName(selected.institutionId)}
              timeZone={stop.timeZone}
              programs={programs}
              defaultEditor={s.lastStaffName}
              onEdit={() => setEditing(true)}
              onKeepVersion={(revisionId, editor) => {
                const kept = selected.history.find((h) => h.revisionId === revisionId)!;
                return s.resolve({ consultationId: selected.consultationId, revisionIds: selected.headRevisionIds, editor, content: kept.content });
              }}
              onRecordConsent={(consent) => s.recordConsent(selected.consultationId, consent)}
              onClose={() => s.close()}
            />
          ))}
      </Modal>
    </Stack>
  );
}
