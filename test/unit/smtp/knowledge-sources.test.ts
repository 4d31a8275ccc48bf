import { describe, expect, it } from 'vitest';
import { BASIC, ENHANCED, PROVIDERS, enhancedFallback } from '../../../electron/smtp/knowledge.ts';
import { explainText } from '../../../electron/smtp/explain.ts';

// Every source the knowledge base shows users must be something they can open: a public URL (RFC editor, IANA,
// provider and vendor pages) or an RFC reference. Never a path into this project's or a shared docs folder.

const entries: [string, string][] = [
  ...Object.entries(BASIC).map(([code, e]) => [`basic ${code}`, e.source] as [string, string]),
  ...Object.entries(ENHANCED).map(([code, e]) => [`enhanced ${code}`, e.source] as [string, string]),
  ...PROVIDERS.map((p) => [`provider ${p.id}`, p.source] as [string, string]),
  ...['2', '4', '5'].flatMap((cls) =>
    ['0', '1', '2', '3', '4', '5', '6', '7'].map((subject) => [`fallback ${cls}.${subject}.99`, enhancedFallback(`${cls}.${subject}.99`)?.source ?? ''] as [string, string]),
  ),
  // Codes outside the table get the generic class entry; a basic + enhanced pair joins both sources.
  ...['299 odd', '399 odd', '499 odd', '599 odd', '550 5.1.1 no such user', '421 4.7.0 try later'].flatMap((t) =>
    explainText(t).map((e) => [`explain "${t}"`, e.source] as [string, string]),
  ),
];

const URL_IN = /https?:\/\/[^\s)]+/g;

describe('knowledge-base sources', () => {
  it('covers every table', () => {
    expect(entries.length).toBeGreaterThan(Object.keys(BASIC).length + Object.keys(ENHANCED).length + PROVIDERS.length);
  });

  it.each(entries)('%s cites public sources only', (_what, source) => {
    expect(source.trim()).not.toBe('');
    expect(source).not.toMatch(/(^|[\s(])(\.\.\/)*(docs|shared)\//);
    expect(source).not.toMatch(/\.md\b/);
    for (const part of source.split(';').map((p) => p.trim())) {
      const urls = part.match(URL_IN) ?? [];
      expect(urls.length > 0 || /^RFC \d{3,5}\b/.test(part), `"${part}" is neither an http(s) URL nor an RFC reference`).toBe(true);
      for (const u of urls) expect(['https:', 'http:']).toContain(new URL(u).protocol);
    }
  });
});
