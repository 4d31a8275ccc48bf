import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { explainSmtpText } from '../../../electron/smtp/explain.ts';
import { findCodes } from '../../../electron/smtp/explain.ts';
import { ExplainSection } from '../../../electron/smtp/explain-schema.ts';
import { Finding } from '../../../electron/core/finding.ts';

// Real error texts as users paste them (Gmail, Microsoft 365, Yahoo, iCloud, cPanel, Postfix).

interface Case { text: string; code: number; enhanced: string | null; kind: string; provider?: string; firstMeaning: string }
const CASES = JSON.parse(readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/smtp/error-texts.json'), 'utf8')) as Case[];

describe('explainSmtpText', () => {
  it.each(CASES.map((c) => [c.text.slice(0, 60), c] as const))('%s…', (_label, c) => {
    const { section, findings } = explainSmtpText(c.text);
    expect(ExplainSection.parse(section)).toEqual(section);
    findings.forEach((f) => Finding.parse(f));
    const first = section.explanations[0]!;
    expect(first.meaning.toLowerCase()).toContain(c.firstMeaning.toLowerCase());
    expect(first.kind).toBe(c.kind);
    if (c.provider) expect(first.meaning.startsWith(`${c.provider}:`)).toBe(true);
    const coded = section.explanations.find((e) => e.code === c.code);
    expect(coded?.code).toBe(c.code);
    if (c.enhanced) expect(section.explanations.some((e) => e.enhanced === c.enhanced)).toBe(true);
    for (const e of section.explanations) expect(e.source.length).toBeGreaterThan(5);
  });

  it('250 is success, never an error', () => {
    const { section, findings } = explainSmtpText('250 2.0.0 Ok: queued as 1E43920E864');
    expect(section.explanations.every((e) => e.kind === 'success')).toBe(true);
    expect(findings.every((f) => f.severity === 'info')).toBe(true);
    expect(section.explanations[0]?.meaning).toMatch(/not an error/);
  });

  it('421 is transient (warning), 550 permanent (error)', () => {
    expect(explainSmtpText('421 Service not available').findings[0]?.severity).toBe('warning');
    expect(explainSmtpText('550 5.1.1 User unknown').findings[0]?.severity).toBe('error');
  });

  it('does not read port numbers or sizes as reply codes', () => {
    expect(findCodes('Could not connect to smtp.example.com on port 587 after 300 seconds')).toEqual([]);
    const { findings } = explainSmtpText('connection to port 465 timed out');
    expect(findings.map((f) => f.id)).toEqual(['explain.unrecognised']);
  });

  it('an unknown enhanced code still gets its class and subject explained', () => {
    const { section } = explainSmtpText('554 5.6.99 something odd');
    const e = section.explanations.find((x) => x.enhanced === '5.6.99');
    expect(e?.meaning).toMatch(/Permanent failure: a message content problem/);
  });

  it('bounded: a 1 MB paste is cut, finishes, and keeps the first codes', () => {
    const big = `421 4.7.0 busy\n${'x'.repeat(1024 * 1024)}`;
    const { section } = explainSmtpText(big);
    expect(section.input.length).toBe(20_000);
    expect(section.explanations[0]?.code).toBe(421);
  });
});
