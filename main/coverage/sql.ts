// Loads the coverage queries that live beside this file as .sql (copied to dist/ by the build).
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

export function coverageSql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}
