// Human formatting of durations, sizes and counts, shared by the CLI table and the views.

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const a = Math.abs(seconds);
  if (a < 1) return `${(seconds * 1000).toFixed(0)} ms`;
  if (a < 120) return `${seconds.toFixed(1)} s`;
  if (a < 7200) return `${(seconds / 60).toFixed(1)} min`;
  if (a < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

export function formatScore(score: number): string {
  return score.toFixed(3);
}
