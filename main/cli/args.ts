// Argument parsers and helpers shared by the CLI's command modules.
import { InvalidArgumentError } from 'commander';
import { parseCidrList } from '../../shared/net.js';
import { Engine } from '../api/engine.js';

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

export function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port from 0 to 65535');
  return n;
}

/** `--internal 10.0.0.0/8,fd00::/8`: validated CIDR list. */
export function cidrs(v: string): string[] {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    parseCidrList(list);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return list;
}

export function timeZone(v: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
  } catch {
    throw new InvalidArgumentError(`unknown time zone "${v}" (an IANA name such as Europe/Berlin)`);
  }
  return v;
}

export function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
  return n;
}

/** Opens a case file, runs `fn`, closes it whatever happens. */
export async function withCase<T>(db: string, fn: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ path: db });
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}
