// The raw log lines behind a finding: every source file of the case is read again (plain or
// gzip) and the lines whose connection id matches one of the finding's events are kept with
// their file and line number — Zeek TSV / JSON by uid (also inside lists such as conn_uids),
// Suricata eve by flow_id. Line numbers count every line of the file from 1, as the import does.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { newStatus, readLineBatches } from '../ingest/lines.js';

export interface SourceFile {
  fileId: number;
  path: string;
  format: string | null;
  logType: string | null;
  sha256: string;
}

export interface RawLine {
  file: string;
  line: number;
  connId: string;
  text: string;
}

export interface FileLines {
  source: SourceFile;
  /** Zeek header lines (#separator … #types) of the first block, to keep an excerpt readable. */
  header: string[];
  lines: RawLine[];
  error: string | null;
}

/** Log types whose records name no connection: not worth reading again. */
export const NO_CONNECTION_TYPES = new Set([
  'stats', 'capture_loss', 'loaded_scripts', 'packet_filter', 'known_hosts', 'known_services', 'known_certs', 'software', 'x509', 'reporter',
]);

const EVE_FLOW = /"flow_id"\s*:\s*"?(\d+)/;
const TOKEN = /[A-Za-z0-9]+/g;

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The lines of one file whose connection id is in `ids`. */
export async function matchingLines(source: SourceFile, ids: Set<string>): Promise<FileLines> {
  const out: FileLines = { source, header: [], lines: [], error: null };
  try {
    await access(source.path);
  } catch {
    out.error = `${source.path} is no longer on disk`;
    return out;
  }
  const eve = source.format === 'suricata-eve';
  let lineNo = 0;
  let inHeader = true;
  const status = newStatus();
  try {
    for await (const batch of readLineBatches(source.path, status)) {
      for (const text of batch) {
        lineNo++;
        if (inHeader && text.startsWith('#')) {
          out.header.push(text);
          continue;
        }
        if (text.length) inHeader = false;
        if (text.startsWith('#')) continue;
        let hit: string | null = null;
        if (eve) {
          const m = EVE_FLOW.exec(text);
          if (m && ids.has(m[1])) hit = m[1];
        } else {
          TOKEN.lastIndex = 0;
          for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
            if (ids.has(m[0])) {
              hit = m[0];
              break;
            }
          }
        }
        if (hit !== null) out.lines.push({ file: source.path, line: lineNo, connId: hit, text });
      }
    }
  } catch (e) {
    out.error = `${source.path}: ${(e as Error).message}`;
  }
  if (status.truncated) out.error = `${source.path}: ${status.truncated}`;
  return out;
}
