import '@mantine/core/styles.css';
import './fonts.css';
import { Badge, Button, MantineProvider, createTheme } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n/i18n';

initI18n('ko');
const theme = createTheme({
  primaryColor: 'indigo',
  // Pretendard is bundled (renderer/fonts.css): Hangul on every machine; the system fonts only if it fails to load.
  fontFamily: 'Pretendard, system-ui, "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", sans-serif',
  headings: { fontFamily: 'Pretendard, system-ui, "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", sans-serif' },
  // Names and desks are shown as written, never upper-cased.
  // A badge's or a button's label is never cut off ("Medi…", "Check in inste…"): they keep their width and the
  // layout around them wraps instead.
  components: {
    Badge: Badge.extend({ defaultProps: { tt: 'none' }, styles: { root: { minWidth: 'max-content', flexShrink: 0 } } }),
    Button: Button.extend({ styles: { root: { flexShrink: 0 } } }),
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
