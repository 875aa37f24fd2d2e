import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { CountsBar } from '../../../renderer/components/CountsBar';
import { formatCount } from '../../../renderer/i18n/formatCount';
import { initI18n } from '../../../renderer/i18n/i18n';

describe('counts with thousands separators', () => {
  it('groups counts in both languages', () => {
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(formatCount(1234, 'ko')).toBe('1,234');
    expect(formatCount(999, 'en')).toBe('999');
  });

  it('groups every count interpolated into a sentence, and leaves a port alone', async () => {
    const i18n = initI18n('en');
    await i18n.changeLanguage('en');
    expect(i18n.t('header.unsynced', { count: 12345 })).toBe('12,345 events not yet at HQ');
    expect(i18n.t('header.unsynced', { count: 1 })).toBe('1 event not yet at HQ');
    expect(i18n.t('importer.importValid', { count: 4321 })).toBe('Import the 4,321 valid rows');
    expect(i18n.t('errors.HUB_PORT_IN_USE', { port: 8470 })).toContain('Port 8470 ');
    await i18n.changeLanguage('ko');
    expect(i18n.t('header.unsynced', { count: 12345 })).toContain('12,345');
    await i18n.changeLanguage('en');
  });

  it('shows the stop’s live counts grouped', async () => {
    const i18n = initI18n('en');
    await i18n.changeLanguage('en');
    render(
      <MantineProvider>
        <I18nextProvider i18n={i18n}>
          <CountsBar counts={{ stopId: 's', registered: 12480, checkedIn: 3456, walkIns: 7, byCareerStage: { postdoc: 1500 } }} />
        </I18nextProvider>
      </MantineProvider>,
    );
    expect(screen.getByLabelText('Registered: 12,480')).toHaveTextContent('12,480');
    expect(screen.getByLabelText('Checked in: 3,456')).toHaveTextContent('3,456');
    expect(screen.getByText('1,500')).toBeInTheDocument();
  });

  it('says the counts are loading (not 0) to a screen reader until they are known, in both languages', async () => {
    const i18n = initI18n('en');
    await i18n.changeLanguage('en');
    const ui = (counts: Parameters<typeof CountsBar>[0]['counts']) => (
      <MantineProvider>
        <I18nextProvider i18n={i18n}>
          <CountsBar counts={counts} />
        </I18nextProvider>
      </MantineProvider>
    );
    const { rerender } = render(ui(null));
    expect(screen.getByLabelText('Registered: Loading…')).toHaveTextContent('–');
    expect(screen.getByLabelText('Registered: Loading…')).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByLabelText('Registered: 0')).toBeNull();
    rerender(ui({ stopId: 's', registered: 0, checkedIn: 0, walkIns: 0, byCareerStage: {} }));
    expect(screen.getByLabelText('Registered: 0')).toHaveTextContent('0');
    expect(screen.getByLabelText('Registered: 0')).not.toHaveAttribute('aria-busy');
    await i18n.changeLanguage('ko');
    rerender(ui(null));
    expect(screen.getByLabelText('등록: 불러오는 중…')).toHaveTextContent('–');
    await i18n.changeLanguage('en');
  });
});
