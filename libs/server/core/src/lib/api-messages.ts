import { isLocale, type Locale } from '@rehearse/shared/contracts';
import { API_MESSAGES_NL } from './locales/api-messages.nl';

interface Rule {
  pattern: RegExp;
  names: string[];
  text: string;
  /** how much of the key is fixed text: the more, the more specific */
  fixed: number;
  /** a key that starts with fixed text is more specific than one that starts with a part that varies */
  anchored: boolean;
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * Longer messages are not matched against the patterns: a message can carry what a request sent
 * (a field name, a value), and patterns with two open parts would cost quadratic time on a
 * crafted megabyte. Every message the catalogue knows is far shorter.
 */
const MAX_TRANSLATED_LENGTH = 1000;

/** The catalogue's keys with {{placeholders}} as anchored patterns, most specific first. */
function compile(catalogue: Record<string, string>): { exact: Map<string, string>; rules: Rule[] } {
  const exact = new Map<string, string>();
  const rules: Rule[] = [];
  for (const [key, text] of Object.entries(catalogue)) {
    if (!PLACEHOLDER.test(key)) {
      exact.set(key, text);
      continue;
    }
    PLACEHOLDER.lastIndex = 0;
    const names: string[] = [];
    const source = key
      .split(PLACEHOLDER)
      .map((part, i) => (i % 2 === 1 ? (names.push(part), '(.+?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    rules.push({
      pattern: new RegExp(`^${source}$`, 's'),
      names,
      text,
      fixed: key.replace(PLACEHOLDER, '').length,
      anchored: !key.startsWith('{{'),
    });
  }
  rules.sort((a, b) => Number(b.anchored) - Number(a.anchored) || b.fixed - a.fixed);
  return { exact, rules };
}

const CATALOGUES: Partial<Record<Locale, ReturnType<typeof compile>>> = { nl: compile(API_MESSAGES_NL) };

/**
 * An API message (an error's message or a field's) in the language the request asked for; the
 * English text when there is no translation. The parts a message's pattern leaves open (a name, a
 * number, another message) are kept, and translated too when they are messages themselves.
 */
export function translateApiMessage(locale: string | null | undefined, message: string, depth = 0): string {
  const catalogue = isLocale(locale) ? CATALOGUES[locale] : undefined;
  if (!catalogue || depth > 3 || message.length > MAX_TRANSLATED_LENGTH) return message;
  const hit = catalogue.exact.get(message);
  if (hit !== undefined) return hit;
  for (const rule of catalogue.rules) {
    const m = rule.pattern.exec(message);
    if (!m) continue;
    const values = Object.fromEntries(
      rule.names.map((name, i) => [name, translateApiMessage(locale, m[i + 1] ?? '', depth + 1)]),
    );
    return rule.text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
  }
  return message;
}
