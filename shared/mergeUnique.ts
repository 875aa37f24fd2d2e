/**
 * Merges feature maps (API channels, event types) and throws on a key defined twice, so two
 * features can never silently shadow each other (Actual's `createApp` registry does the same).
 */
export function mergeUnique<T extends Record<string, unknown>[]>(...maps: T): UnionToIntersection<T[number]> {
  const out: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) {
      if (key in out) throw new Error(`Defined twice: ${key}`);
      out[key] = value;
    }
  }
  return out as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
