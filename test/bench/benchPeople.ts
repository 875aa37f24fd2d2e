import { seededRandom } from '../../core/domain/seededRandom';

/** Synthetic attendees for benchmarks: varied Korean and other names, unique emails and tokens, from a seed. */
export interface BenchPerson {
  familyName: string;
  givenName: string;
  nameKo: string;
  email: string;
  affiliation: string;
  careerStage: string;
  fields: string;
  scanToken: string;
}

const KO_FAMILY: [string, string][] = [
  ['김', 'Kim'], ['이', 'Lee'], ['박', 'Park'], ['최', 'Choi'], ['정', 'Jung'], ['강', 'Kang'], ['조', 'Cho'], ['윤', 'Yoon'], ['장', 'Jang'], ['임', 'Lim'],
  ['한', 'Han'], ['오', 'Oh'], ['서', 'Seo'], ['신', 'Shin'], ['권', 'Kwon'], ['황', 'Hwang'], ['안', 'Ahn'], ['송', 'Song'], ['류', 'Ryu'], ['홍', 'Hong'],
  ['전', 'Jeon'], ['고', 'Ko'], ['문', 'Moon'], ['양', 'Yang'], ['손', 'Son'], ['배', 'Bae'], ['백', 'Baek'], ['허', 'Heo'], ['남궁', 'Namgung'], ['선우', 'Sunwoo'],
];
const KO_SYLLABLES: [string, string][] = [
  ['민', 'min'], ['준', 'jun'], ['서', 'seo'], ['연', 'yeon'], ['지', 'ji'], ['훈', 'hoon'], ['하', 'ha'], ['은', 'eun'], ['도', 'do'], ['윤', 'yoon'],
  ['수', 'su'], ['현', 'hyun'], ['우', 'woo'], ['진', 'jin'], ['영', 'young'], ['호', 'ho'], ['재', 'jae'], ['성', 'sung'], ['예', 'ye'], ['린', 'rin'],
  ['태', 'tae'], ['희', 'hee'], ['경', 'kyung'], ['주', 'ju'], ['원', 'won'], ['나', 'na'], ['혜', 'hye'], ['상', 'sang'], ['동', 'dong'], ['유', 'yu'],
  ['채', 'chae'], ['아', 'a'], ['석', 'seok'], ['빈', 'bin'], ['규', 'gyu'], ['소', 'so'], ['시', 'si'], ['건', 'geon'], ['다', 'da'], ['인', 'in'],
];
const OTHER_FAMILY = ['Smith', 'Johnson', 'Garcia', 'Müller', 'Nguyen', 'Patel', 'Chen', 'Wang', 'Rossi', 'Dubois', 'Ivanova', 'Okafor', 'Silva', 'Kowalski', 'Tanaka', 'Sato', 'Haddad', 'O’Brien', 'Andersson', 'Fernández', 'Novak', 'Cohen', 'Singh', 'Kumar', 'Yamamoto', 'Lopez', 'Schmidt', 'Moreau', 'Brown', 'Davis'];
const OTHER_GIVEN = ['Emily', 'Michael', 'Sofía', 'Lukas', 'Priya', 'Wei', 'Ana', 'Jürgen', 'Chidi', 'Zoë', 'Mateo', 'Olga', 'Hiro', 'Aisha', 'Noah', 'Liam', 'Chloé', 'Rafael', 'Ingrid', 'Tomás', 'Yusuf', 'Elena', 'Kenji', 'Maya', 'David', 'Sara', 'Omar', 'Nina', 'Pablo', 'Grace'];
const AFFILIATIONS = [
  'MIT', 'Harvard University', 'Boston University', 'Stanford University', 'UC Berkeley', 'Columbia University', 'New York University', 'Carnegie Mellon University',
  'University of Pittsburgh', 'Georgia Tech', 'Emory University', 'University of Chicago', 'Northwestern University', 'University of Illinois Urbana-Champaign',
  'Purdue University', 'UT Austin', 'Caltech', 'UCSF', 'University of Michigan', 'Cornell University', 'Princeton University', 'Yale University', 'Johns Hopkins University',
  'University of Washington', 'UCLA', 'Rice University', 'Duke University', 'University of Pennsylvania', 'Brown University', 'Google', 'NVIDIA', 'Samsung Research America',
];
const STAGES = ['student', 'postdoc', 'professor', 'researcher', 'job_seeker', 'industry', 'other'];
const FIELDS = ['ai', 'semiconductors', 'bio', 'aerospace', 'quantum', 'energy', 'robotics', 'manufacturing', 'communications', 'nano', 'healthcare'];

const pick = <T,>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

export function benchPeople(count: number, seed = 7): BenchPerson[] {
  const rand = seededRandom(seed);
  const out: BenchPerson[] = [];
  for (let i = 0; i < count; i++) {
    let familyName: string;
    let givenName: string;
    let nameKo = '';
    if (rand() < 0.6) {
      const [fk, fl] = pick(rand, KO_FAMILY);
      const [a, al] = pick(rand, KO_SYLLABLES);
      const [b, bl] = pick(rand, KO_SYLLABLES);
      familyName = fl;
      givenName = rand() < 0.2 ? `${al[0]!.toUpperCase()}${al.slice(1)}-${bl}` : `${al[0]!.toUpperCase()}${al.slice(1)}${bl}`;
      nameKo = fk + a + b;
    } else {
      familyName = pick(rand, OTHER_FAMILY);
      givenName = pick(rand, OTHER_GIVEN);
    }
    const affiliation = pick(rand, AFFILIATIONS);
    const local = `${givenName}.${familyName}`.toLowerCase().normalize('NFKD').replace(/[^a-z.]/g, '');
    out.push({
      familyName,
      givenName,
      nameKo,
      email: `${local}${i}@${affiliation.toLowerCase().replace(/[^a-z]/g, '').slice(0, 14)}.edu`,
      affiliation,
      careerStage: pick(rand, STAGES),
      fields: [pick(rand, FIELDS), pick(rand, FIELDS)].join('; '),
      scanToken: `BX-${String(i).padStart(7, '0')}`,
    });
  }
  return out;
}
