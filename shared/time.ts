// Time formatting shared by the engine and the views. Times travel as ISO 8601 UTC strings with
// fractional seconds: milliseconds, or microseconds when the source had sub-millisecond detail.

export function microsToIso(micros: bigint): string {
  const ms = micros / 1000n;
  const rem = Number(((micros % 1000n) + 1000n) % 1000n);
  const floorMs = micros < 0n && rem !== 0 ? ms - 1n : ms;
  const base = new Date(Number(floorMs)).toISOString();
  if (rem === 0) return base;
  return `${base.slice(0, -1)}${String(rem).padStart(3, '0')}Z`;
}

/** ISO time → epoch seconds (float, microsecond precision kept). */
export function isoToEpoch(iso: string): number {
  const m = /\.(\d{3})(\d{3})Z$/.exec(iso);
  if (m) return Date.parse(iso.replace(/(\.\d{3})\d{3}Z$/, '$1Z')) / 1000 + Number(m[2]) / 1e6;
  return Date.parse(iso) / 1000;
}
