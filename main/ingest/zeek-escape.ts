// Zeek TSV escaping: bytes outside printable ASCII, the separators and a leading '#' are written
// as \xNN. Runs of escapes are decoded together so multi-byte UTF-8 (old Zeek escaped every
// non-ASCII byte) comes back as the same text new Zeek writes raw.
const RUN = /(?:\\x[0-9a-fA-F]{2})+/g;

export function unescapeZeek(s: string): string {
  if (s.indexOf('\\x') < 0) return s;
  return s.replace(RUN, (run) => Buffer.from(run.replace(/\\x/g, ''), 'hex').toString('utf8'));
}

/** The value of a `#separator` header: `\x09`, a literal `\t`, or the character itself. */
export function parseSeparatorValue(v: string): string {
  if (v === '\\t') return '\t';
  const u = unescapeZeek(v);
  return u.length ? u : '\t';
}
