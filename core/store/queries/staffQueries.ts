import type { StaffRole, StaffView } from '../../../shared/schemas/staff';
import type { Db } from '../sqlite';

interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  institution_id: string | null;
  stop_ids: string;
  active: number;
  pin_hash: string | null;
  code_hash: string | null;
}

const SELECT = `
  SELECT s.id, s.name, s.role, s.institution_id, s.stop_ids, p.pin_hash, c.code_hash,
         NOT EXISTS (SELECT 1 FROM staff_deactivations d WHERE d.staff_id = s.id) AS active
  FROM staff s LEFT JOIN staff_pins p ON p.staff_id = s.id LEFT JOIN staff_setup_codes c ON c.staff_id = s.id`;

const toView = (r: StaffRow): StaffView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  institutionId: r.institution_id,
  active: r.active === 1,
  stopIds: JSON.parse(r.stop_ids) as string[],
  pinSet: r.pin_hash !== null,
});

export function createStaffQueries(db: Db) {
  const all = db.prepare<[], StaffRow>(`${SELECT} ORDER BY s.name, s.id`);
  const one = db.prepare<[string], StaffRow>(`${SELECT} WHERE s.id = ?`);
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM staff');
  return {
    list(): StaffView[] {
      return all.all().map(toView);
    },
    byId(id: string): (StaffView & { pinHash: string | null; setupCodeHash: string | null }) | null {
      const r = one.get(id);
      return r ? { ...toView(r), pinHash: r.pin_hash, setupCodeHash: r.code_hash } : null;
    },
    count(): number {
      return count.get()!.n;
    },
  };
}
export type StaffQueries = ReturnType<typeof createStaffQueries>;
