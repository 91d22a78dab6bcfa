// Recognising a packet capture by its first bytes: classic libpcap (both byte orders, micro- and
// nanosecond variants) and pcapng (Section Header Block). The import sniffs the decompressed head
// as UTF-8 text, which is lossy for bytes ≥ 0x80 (each invalid sequence becomes U+FFFD), so the
// text patterns below are what those magic numbers look like after that decoding; when raw bytes
// are available they are checked exactly.

export type CaptureKind = 'pcap' | 'pcapng';

/** Exact check on raw (decompressed) bytes. */
export function captureKindFromBytes(b: Uint8Array): CaptureKind | null {
  if (b.length < 4) return null;
  const m = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
  if (m === 0x0a0d0d0a && b.length >= 12) {
    const bom = ((b[8] << 24) | (b[9] << 16) | (b[10] << 8) | b[11]) >>> 0;
    if (bom === 0x1a2b3c4d || bom === 0x4d3c2b1a) return 'pcapng';
  }
  return null;
}

const R = '\uFFFD';
// Magic + major version 2 (16 bits, in the file's byte order), as the UTF-8 decoder renders them.
const PCAP_TEXT: RegExp[] = [
  new RegExp(`^${R}\u00f2${R}\u0002\u0000`), // d4 c3 b2 a1 02 00: little-endian, microseconds
  new RegExp(`^${R}{4}\u0000\u0002`), // a1 b2 c3 d4 00 02: big-endian, microseconds
  new RegExp(`^M<${R}{2}\u0002\u0000`), // 4d 3c b2 a1 02 00: little-endian, nanoseconds
  new RegExp(`^${R}{2}<M\u0000\u0002`), // a1 b2 3c 4d 00 02: big-endian, nanoseconds
];
// SHB block type, then a 4-byte length (1–4 characters once decoded), then the byte-order magic.
const PCAPNG_TEXT = /^\n\r\r\n[\s\S]{1,4}?(?:M<\+\u001a|\u001a\+<M)/;

/** Check on the head as the importer decodes it (UTF-8, invalid bytes → U+FFFD). */
export function captureKindFromText(head: string): CaptureKind | null {
  if (PCAP_TEXT.some((re) => re.test(head))) return 'pcap';
  if (PCAPNG_TEXT.test(head)) return 'pcapng';
  return null;
}
