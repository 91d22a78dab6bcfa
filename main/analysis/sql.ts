// Loads the named analysis queries that live beside this file as .sql (copied to dist/ by the
// build). Queries take parameters ($name), never concatenated user input.
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

export function sql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  return text;
}
