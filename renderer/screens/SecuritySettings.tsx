import { Alert, Badge, Button, Code, Group, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { STAFF_ROLES, type StaffRole } from '../../shared/schemas/staff';
import { StaffPlanForm } from '../components/StaffPlanForm';
import { errorMessage } from '../i18n/errorMessage';
import { formErrorText } from '../i18n/fieldError';
import { selectTourStops, useAppStore } from '../state/appStore';
import { useAuthStore } from '../state/authStore';
import { useSecurityStore } from '../state/securityStore';

/** Settings for a stop lead or HQ admin: the desk's staff and the backups on this laptop. */
export function SecuritySettings() {
  const { t, i18n } = useTranslation();
  const me = useAuthStore((s) => s.status?.signedIn ?? null);
  const enforced = useAuthStore((s) => s.status?.enforced ?? false);
  const sec = useSecurityStore();
  const app = useAppStore();
  const tourStops = selectTourStops(app);
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('desk_staff');
  const [institutionId, setInstitutionId] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const manager = !enforced || me?.role === 'stop_lead' || me?.role === 'hq_admin';

  useEffect(() => {
    if (!manager) return;
    void sec.loadStaff();
    void sec.loadBackups();
  }, [manager]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!manager) return null;
  const roles = STAFF_ROLES.filter((r) => !enforced || me?.role === 'hq_admin' || r === 'desk_staff' || r === 'booth_staff');

  async function add(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (!name.trim()) return setFormError(t('errors.required'));
    if (!/^\d{6,12}$/.test(pin)) return setFormError(t('security.pinInvalid'));
    if (role === 'booth_staff' && !institutionId) return setFormError(t('errors.required'));
    if (await sec.createStaff({ name: name.trim(), role, institutionId: role === 'booth_staff' ? institutionId : null, pin })) {
      setName('');
      setPin('');
    }
  }

  async function restore(backupName: string) {
    if (!window.confirm(t('security.restoreConfirm'))) return;
    if (await sec.restore(backupName)) await useAuthStore.getState().load();
  }

  const fmt = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'ko' ? 'ko-KR' : 'en-US');
  return (
    <Stack mt="lg">
      {sec.error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, sec.error)}
        </Alert>
      ) : null}
      {formError && (
        <Alert color="red" role="alert">
          {formError}
        </Alert>
      )}
      {sec.notice && (
        <Text c="green" role="status">
          {t(sec.notice.key, sec.notice.values)}
        </Text>
      )}
      <Title order={3}>{t('security.staffTitle')}</Title>
      <Table aria-label={t('security.staffList')} striped>
        <Table.Tbody>
          {sec.staff.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{s.name}</Table.Td>
              <Table.Td>{t(`security.role.${s.role}`)}</Table.Td>
              <Table.Td>{s.institutionId ? (sec.institutions.find((i) => i.id === s.institutionId)?.shortName ?? s.institutionId) : ''}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  {s.stopIds
                    .map((id) => app.stops.find((x) => x.id === id))
                    .filter((x) => x !== undefined)
                    .map((x) => `${x.round} · ${i18n.language === 'ko' && x.cityKo ? x.cityKo : x.city}`)
                    .join(', ')}
                </Text>
                {!s.pinSet && s.active && (
                  <Badge color="yellow" variant="light">
                    {t('staffPlan.noPin')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {s.active ? (
                  s.id !== me?.id &&
                  roles.includes(s.role) && (
                    <Button size="xs" variant="subtle" color="red" aria-label={t('security.deactivateName', { name: s.name })} onClick={() => void sec.deactivate(s.id)}>
                      {t('security.deactivate')}
                    </Button>
                  )
                ) : (
                  <Badge color="gray">{t('security.staffInactive')}</Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form aria-label={t('security.addStaffForm')} onSubmit={add}>
        <Group align="flex-end" wrap="wrap">
          <TextInput label={t('security.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} w={180} />
          <Select label={t('security.staffRole')} value={role} onChange={(v) => v && setRole(v as StaffRole)} data={roles.map((r) => ({ value: r, label: t(`security.role.${r}`) }))} w={160} allowDeselect={false} />
          {role === 'booth_staff' && (
            <Select label={t('security.staffInstitution')} value={institutionId} onChange={setInstitutionId} data={sec.institutions.map((i) => ({ value: i.id, label: i.shortName }))} w={160} searchable />
          )}
          <PasswordInput label={t('security.pin')} description={t('security.pinHelp')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} inputMode="numeric" w={150} />
          <Button type="submit">{t('security.addStaff')}</Button>
        </Group>
      </form>

      <Title order={4} mt="sm">
        {t('staffPlan.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('staffPlan.intro')}
      </Text>
      {sec.issued && (
        <Alert color="blue" role="status" title={t('staffPlan.codeTitle', { name: sec.issued.name })} withCloseButton closeButtonLabel={t('staffPlan.codeDone')} onClose={sec.dismissIssued}>
          <Stack gap={6}>
            <Code fz="xl" fw={700} aria-label={t('staffPlan.codeLabel')}>
              {sec.issued.code}
            </Code>
            <Text size="sm">{t('staffPlan.codeOnce')}</Text>
          </Stack>
        </Alert>
      )}
      <StaffPlanForm roles={roles} institutions={sec.institutions} stops={tourStops} error={sec.planError} onSubmit={(p) => sec.planStaff(p)} />
      {formErrorText(t, sec.planError, ['name', 'institutionId', 'stopIds']) && (
        <Alert color="red" role="alert">
          {formErrorText(t, sec.planError, ['name', 'institutionId', 'stopIds'])}
        </Alert>
      )}

      <Title order={3} mt="md">
        {t('security.backupsTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('security.backupsIntro')}
      </Text>
      <Group>
        <Button variant="light" onClick={() => void sec.backupNow()}>
          {t('security.backupNow')}
        </Button>
      </Group>
      {sec.backups.length === 0 ? (
        <Text size="sm">{t('security.noBackups')}</Text>
      ) : (
        <Table aria-label={t('security.backupList')}>
          <Table.Tbody>
            {sec.backups.slice(0, 12).map((b) => (
              <Table.Tr key={b.name}>
                <Table.Td>{fmt(b.createdAt)}</Table.Td>
                <Table.Td>{t(`security.reason.${b.reason}`)}</Table.Td>
                <Table.Td>{(b.bytes / 1024 / 1024).toFixed(1)} MB</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" aria-label={t('security.restoreName', { time: fmt(b.createdAt) })} onClick={() => void restore(b.name)}>
                    {t('security.restore')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
