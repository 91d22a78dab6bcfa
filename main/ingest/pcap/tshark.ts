// Finding tshark without a shell: METRONOME_TSHARK (a path, or a name looked up on PATH), else
// `tshark` on PATH. Nothing here runs a command string; the caller spawns the resolved file
// with an argument array.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The one line a user sees when a capture is opened on a machine without tshark. */
export const TSHARK_MISSING =
  'this is a pcap capture; reading it needs tshark (Debian/Ubuntu: apt-get install tshark; ' +
  'macOS: brew install wireshark; or set METRONOME_TSHARK to its path)';

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat(['']) : [''];
  for (const d of dirs) {
    for (const e of exts) {
      const p = join(d, name + e.toLowerCase());
      if (isExecutableFile(p)) return p;
      if (e && isExecutableFile(join(d, name + e))) return join(d, name + e);
    }
  }
  return null;
}

/** The tshark executable to run, or null when there is none. */
export function findTshark(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.METRONOME_TSHARK?.trim();
  if (override) {
    if (isAbsolute(override) || override.includes('/') || override.includes('\\')) {
      return isExecutableFile(override) ? override : null;
    }
    return onPath(override, env);
  }
  return onPath('tshark', env);
}
