import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configure } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';
import { callApi } from '../../helpers/callApi';
import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { ConsultationsScreen } from '../../../renderer/screens/ConsultationsScreen';
import { getEmptyConsultationsState, useConsultationsStore } from '../../../renderer/state/consultationsStore';
import { renderWithApp } from '../renderWithApp';

/**
 * Picks an option of a Mantine Select: its dropdown (a portal found through aria-controls) stays
 * display:none under jsdom's missing layout, so the option is looked up with hidden: true.
 */
async function choose(user: ReturnType<typeof userEvent.setup>, input: HTMLElement, name: RegExp) {
  await user.click(input);
  const listbox = document.getElementById(input.getAttribute('aria-controls')!)!;
  await user.click(within(listbox).getByRole('option', { name, hidden: true }));
  await waitFor(() => expect((input as HTMLInputElement).value).toMatch(name));
}

// Every call goes through the real API on a real store; give a busy CI machine time.
configure({ asyncUtilTimeout: 8000 });

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

describe('ConsultationsScreen', () => {
  let store: Store;
  let ctx: ApiContext;
  let stop: Parameters<typeof ConsultationsScreen>[0]['stop'];
  let person: { token: string; familyName: string; givenName: string; registrationId: string };

  beforeEach(async () => {
    store = createTestStore({ demo: true, attendees: 60 });
    ctx = createTestContext(store);
    stop = (await callApi(ctx, 'stops:list', {})).find((s) => s.id === DEMO_STOP)!;
    person = store.db
      .prepare(
        `SELECT r.scan_token AS token, a.family_name AS familyName, a.given_name AS givenName, r.id AS registrationId FROM registrations r
         JOIN attendees a ON a.id = r.attendee_id
         WHERE r.stop_id = ? AND a.given_name <> '' AND (SELECT scope FROM consents c WHERE c.attendee_id = a.id ORDER BY hlc DESC LIMIT 1) = 'all_institutions'
         ORDER BY r.id LIMIT 1`,
      )
      .get(DEMO_STOP) as typeof person;
    useConsultationsStore.setState(getEmptyConsultationsState());
  });
  afterEach(() => vi.restoreAllMocks());

  async function logFromBadge(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole('button', { name: 'Log a consultation' }));
    const form = await screen.findByRole('form', { name: 'Log a consultation' });
    await user.click(within(form).getByRole('textbox', { name: /Badge code/ }));
    await user.paste(person.token);
    await user.keyboard('{Enter}');
    expect(await within(form).findByText(new RegExp(`Consulting ${person.givenName} ${person.familyName}`))).toBeInTheDocument();
    expect(within(form).getByTestId('consent-current')).toHaveTextContent('Share with all participating institutions');
    await choose(user, within(form).getByRole('textbox', { name: /^Institution/ }), /^KAIST · /);
    await user.click(within(form).getByRole('textbox', { name: /Staff member/ }));
    await user.paste('Park Jiwoo');
    await user.click(within(form).getByRole('checkbox', { name: 'AI' }));
    // Programmes (issue #21): KAIST's own and the national ones, from the multi-select; the earlier fixed list is gone.
    expect(within(form).queryByRole('checkbox', { name: 'InnoCORE postdoc' })).toBeNull();
    const programmes = within(form).getByRole('textbox', { name: /Programmes discussed/ });
    await user.click(programmes);
    const listbox = document.getElementById(programmes.getAttribute('aria-controls')!)!;
    expect(within(listbox).queryByRole('option', { name: 'POSTECH Postdoctoral Researchers', hidden: true })).toBeNull();
    await user.click(within(listbox).getByRole('option', { name: 'KAIST Postdoctoral Fellowship', hidden: true }));
    await user.click(within(listbox).getByRole('option', { name: 'Brain to Korea', hidden: true }));
    await user.click(within(form).getByRole('radio', { name: 'High' }));
    await user.click(within(form).getByRole('textbox', { name: 'Follow-up action' }));
    await user.paste('Send the InnoCORE call');
    await user.click(within(form).getByRole('textbox', { name: 'Notes' }));
    await user.paste('Wants to visit the LLM group');
    await user.click(within(form).getByRole('button', { name: 'Save consultation' }));
    await screen.findByText(/Consultation with .* saved/);
  }

  it('logs a consultation from a scanned badge, then edits it with history', { timeout: 90_000 }, async () => {
    const user = userEvent.setup();
    renderWithApp(<ConsultationsScreen stop={stop} />, { ctx });
    await logFromBadge(user);
    const table = await screen.findByRole('table', { name: 'Consultations' });
    expect(within(table).getByText('High')).toBeInTheDocument();
    expect(within(table).getByText('Open')).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: new RegExp(`Open consultation with ${person.givenName}`) }));
    const dialog = await screen.findByRole('dialog', { name: 'Consultation' });
    expect(within(dialog).getByText('Wants to visit the LLM group')).toBeInTheDocument();
    expect(within(dialog).getByText('Brain to Korea, KAIST Postdoctoral Fellowship')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Edit' }));
    const edit = await screen.findByRole('form', { name: 'Edit consultation' });
    const notes = within(edit).getByRole('textbox', { name: 'Notes' });
    await user.clear(notes);
    await user.paste('Visiting Daejeon in March');
    await user.click(within(edit).getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Changes saved.');
    const history = await screen.findByRole('list', { name: 'History' });
    expect(within(history).getByText('Park Jiwoo logged it')).toBeInTheDocument();
    expect(within(history).getByText('Park Jiwoo changed notes')).toBeInTheDocument();
    const list = await callApi(ctx, 'consultations:list', { stopId: DEMO_STOP, notesQuery: 'daejeon' });
    expect(list.total).toBe(1);
    // The edit kept the programmes.
    expect(list.items[0]!.content.programIds).toEqual(['prog-brain-to-korea', 'prog-kaist-postdoc']);
  });

  it('shows translated errors and writes nothing when the form is incomplete', async () => {
    const user = userEvent.setup();
    renderWithApp(<ConsultationsScreen stop={stop} />, { ctx, language: 'ko' });
    const before = eventCount(store);
    await user.click(await screen.findByRole('button', { name: '상담 기록하기' }));
    const form = await screen.findByRole('form', { name: '상담 기록하기' });
    await user.type(within(form).getByRole('textbox', { name: /명찰 코드/ }), 'RS-NOPE{Enter}');
    expect(await within(form).findByText('이 행사에 코드 RS-NOPE인 참가자가 없습니다.')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: '상담 저장' }));
    expect(await within(form).findByText('명찰을 스캔하거나 참가자를 선택하거나 “익명 방문자”를 고르세요.')).toBeInTheDocument();
    expect(eventCount(store)).toBe(before);
  });

  it('resolves a conflict between two laptops by keeping one version', async () => {
    const logged = await callApi(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId: person.registrationId, content: { staffName: 'Park Jiwoo', notes: 'first' } });
    // Another laptop edited the same base revision while this one did too.
    const other = createTestStore({ demo: true, attendees: 60, deviceId: 'laptop-b' });
    other.events.ingest(store.events.eventsOfDevice(store.deviceId, 0, 100));
    await callApi(createTestContext(other), 'consultations:edit', { consultationId: logged.consultationId, baseRevisionId: logged.currentRevisionId, editor: 'Lee Seojin', content: { ...logged.content, notes: 'from laptop B' } });
    await callApi(ctx, 'consultations:edit', { consultationId: logged.consultationId, baseRevisionId: logged.currentRevisionId, editor: 'Park Jiwoo', content: { ...logged.content, notes: 'from laptop A' } });
    store.events.ingest(other.events.eventsOfDevice('laptop-b', 0, 100));

    const user = userEvent.setup();
    renderWithApp(<ConsultationsScreen stop={stop} />, { ctx });
    const table = await screen.findByRole('table', { name: 'Consultations' });
    expect(within(table).getByText('Conflict')).toBeInTheDocument();
    await user.click(within(table).getByRole('button', { name: /Open consultation/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Consultation' });
    expect(within(dialog).getByText('from laptop A')).toBeInTheDocument();
    expect(within(dialog).getByText('from laptop B')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('textbox', { name: /Your name/ }));
    await user.paste('Kim Hana');
    await user.click(within(dialog).getByRole('button', { name: 'Keep the version by Lee Seojin' }));
    await screen.findByText('Conflict resolved.');
    const d = await callApi(ctx, 'consultations:get', { consultationId: logged.consultationId });
    expect(d.conflict).toBe(false);
    expect(d.content.notes).toBe('from laptop B');
    expect(d.history.at(-1)).toMatchObject({ kind: 'resolved', editor: 'Kim Hana' });
  });

  it('exports an institution’s follow-up list as a download', async () => {
    await callApi(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId: person.registrationId, content: { staffName: 'Park Jiwoo' } });
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      created.push(b);
      return 'blob:test';
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    const user = userEvent.setup();
    renderWithApp(<ConsultationsScreen stop={stop} />, { ctx });
    await screen.findByText('1 consultation');
    const panel = await screen.findByRole('region', { name: 'Follow-up list for an institution' });
    await choose(user, within(panel).getByRole('textbox', { name: 'Institution to export' }), /^KAIST · /);
    await user.click(within(panel).getByRole('button', { name: 'Export CSV' }));
    await screen.findByText(/1 rows saved as/);
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatch(/^follow-ups_KAIST_3-1-New-York_.*\.csv$/);
    const buffer = await new Promise<ArrayBuffer>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.readAsArrayBuffer(created[0]!);
    });
    const bytes = new Uint8Array(buffer);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
