// Saves a Blob as a file: an <a download> click (Electron shows its save dialog for it).
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file-name-safe slug of a label ("10.0.0.5 → evil.example:443" → "10.0.0.5-evil.example-443"). */
export function slug(label: string): string {
  return label
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'metronome';
}
