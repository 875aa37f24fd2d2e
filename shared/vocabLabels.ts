import type { CareerStage, Language, ResearchField } from './vocab';

/**
 * Labels of the vocabularies in both languages, defined once: the renderer's i18n and the
 * server-side exports (core/domain/followUpExport.ts) both read them, so a spreadsheet and the
 * screen always name a field the same way.
 */
export const VOCAB_LABELS: Record<Language, { careerStage: Record<CareerStage, string>; field: Record<ResearchField, string> }> = {
  en: {
    careerStage: { student: 'Student', postdoc: 'Postdoc', professor: 'Professor', researcher: 'Researcher', job_seeker: 'Job seeker', industry: 'Industry', other: 'Other' },
    field: {
      ai: 'AI',
      semiconductors: 'Semiconductors',
      bio: 'Bio / life sciences',
      aerospace: 'Space & aerospace',
      quantum: 'Quantum',
      energy: 'Energy',
      robotics: 'Robotics',
      manufacturing: 'Advanced manufacturing',
      communications: 'Next-gen communications',
      nano: 'Nano',
      healthcare: 'Health care',
    },
  },
  ko: {
    careerStage: { student: '학생', postdoc: '박사후연구원', professor: '교수', researcher: '연구원', job_seeker: '구직자', industry: '산업계', other: '기타' },
    field: {
      ai: '인공지능',
      semiconductors: '반도체',
      bio: '바이오·생명과학',
      aerospace: '우주·항공',
      quantum: '양자',
      energy: '에너지',
      robotics: '로봇',
      manufacturing: '첨단 제조',
      communications: '차세대 통신',
      nano: '나노',
      healthcare: '헬스케어',
    },
  },
};
