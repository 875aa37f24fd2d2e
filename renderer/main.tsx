import '@mantine/core/styles.css';
import './fonts.css';
import { Badge, MantineProvider, createTheme } from '@mantine/core';
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
  components: { Badge: Badge.extend({ defaultProps: { tt: 'none' } }) },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
