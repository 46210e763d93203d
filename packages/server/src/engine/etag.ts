let sequence = 0;

/**
 * A new strong ETag in Azure's shape (`"0x8DC…"`): the time in 100 ns ticks since year 1, plus a
 * per-process sequence so two changes in the same millisecond still get different tags.
 */
export function newEtag(nowMs: number): string {
  sequence = (sequence + 1) % 10000;
  const ticks = (BigInt(nowMs) + 62135596800000n) * 10000n + BigInt(sequence);
  return `"0x${ticks.toString(16).toUpperCase()}"`;
}
