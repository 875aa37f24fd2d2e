import type { SlotView } from '../../shared/schemas/booths';

export type SlotStatus = 'free' | 'partial' | 'full' | 'past';

/** How a slot reads at a glance: past once it has ended, else by the places taken (held offers count). */
export function slotStatus(slot: SlotView, now: number): SlotStatus {
  if (Date.parse(slot.end) <= now) return 'past';
  const taken = slot.booked + slot.held;
  if (taken >= slot.capacity) return 'full';
  return taken > 0 ? 'partial' : 'free';
}

export const STATUS_STYLE: Record<SlotStatus, { bg: string; fg: string; border: string }> = {
  free: { bg: 'var(--mantine-color-green-0)', fg: 'var(--mantine-color-green-9)', border: 'var(--mantine-color-green-4)' },
  partial: { bg: 'var(--mantine-color-yellow-1)', fg: 'var(--mantine-color-yellow-9)', border: 'var(--mantine-color-yellow-6)' },
  full: { bg: 'var(--mantine-color-red-1)', fg: 'var(--mantine-color-red-9)', border: 'var(--mantine-color-red-6)' },
  past: { bg: 'var(--mantine-color-gray-1)', fg: 'var(--mantine-color-gray-6)', border: 'var(--mantine-color-gray-3)' },
};
