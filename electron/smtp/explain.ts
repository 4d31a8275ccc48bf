import { finding, type Finding } from '../core/finding.ts';
import type { ExplainSection, Explanation } from './explain-schema.ts';
import { BASIC, ENHANCED, PROVIDERS, enhancedFallback, type Entry } from './knowledge.ts';

// Finds the reply codes and provider phrases in a pasted error text and explains each, most specific first.

const MAX_INPUT = 20_000;
const MAX_CODES = 10;

type Kind = Explanation['kind'];

export function kindOf(code: number | null, enhanced: string | null): Kind {
  const c = code !== null ? Math.floor(code / 100) : enhanced ? Number(enhanced[0]) : 0;
  if (c === 2) return 'success';
  if (c === 3) return 'intermediate';
  if (c === 4) return 'transient';
  if (c === 5) return 'permanent';
  return 'unknown';
}

interface Found {
  code: number | null;
  enhanced: string | null;
  match: string;
}

// A code counts when it starts a line, is followed by an enhanced code of its class, or follows a word
// like "error"/"reply" — so "port 587" or "2 550 bytes" is not read as a reply code.
const CODE = /(^|[\s:("'[,;=])([2-5][0-5]\d)(?:([ -])([245]\.\d{1,3}\.\d{1,3})\b)?(?=[\s\-:,;)"'\]]|$)/gm;
const ENH = /(?:^|[\s#(:[])([245]\.\d{1,3}\.\d{1,3})(?=[\s)\],;:.]|$)/gm;
const CUE = /(error|code|reply|response|status|smtp|server said|said|remote server returned|failed)[\s:'"=#]*$/i;

/** Reply codes and enhanced codes in order of appearance; pure and bounded. */
export function findCodes(text: string): Found[] {
  const out: Found[] = [];
  const seen = new Set<string>();
  const push = (f: Found): void => {
    const key = `${f.code ?? ''}|${f.enhanced ?? ''}`;
    if (seen.has(key) || out.length >= MAX_CODES) return;
    seen.add(key);
    out.push(f);
  };
  for (const m of text.matchAll(CODE)) {
    const code = Number(m[2]);
    const enhanced = m[4] && m[4][0] === m[2]![0] ? m[4] : null;
    const at = (m.index ?? 0) + m[1]!.length;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const before = text.slice(Math.max(lineStart, at - 40), at);
    const startsLine = /^[\s>"']*$/.test(before);
    if (startsLine || enhanced || CUE.test(before)) push({ code, enhanced, match: m[0].slice(m[1]!.length).trim() });
  }
  for (const m of text.matchAll(ENH)) {
    const enhanced = m[1]!;
    if (out.some((f) => f.enhanced === enhanced)) continue;
    push({ code: null, enhanced, match: enhanced });
  }
  return out;
}

function genericEntry(code: number): Entry {
  const cls = Math.floor(code / 100);
  return {
    meaning: cls === 2 ? 'Success.' : cls === 3 ? 'The server waits for more input.' : cls === 4 ? 'Temporary failure.' : 'Permanent failure.',
    likelyCause: 'A reply code not in the standard list; the text after it is the server\'s own explanation.',
    nextSteps: cls === 4 ? ['Retry later.'] : [],
    source: 'RFC 5321 §4.2.1 (reply code classes, https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1)',
  };
}

/** Basic code and enhanced code together: the basic meaning first, the enhanced one as the precise detail. */
function entryFor(f: Found): Entry | null {
  const basic = f.code !== null ? (BASIC[f.code] ?? genericEntry(f.code)) : null;
  const enh = f.enhanced ? (ENHANCED[f.enhanced] ?? enhancedFallback(f.enhanced)) : null;
  if (basic && enh) {
    return {
      meaning: `${basic.meaning} In detail (${f.enhanced}): ${enh.meaning}`,
      likelyCause: enh.likelyCause === 'Normal.' ? basic.likelyCause : enh.likelyCause,
      nextSteps: [...new Set([...enh.nextSteps, ...basic.nextSteps])].slice(0, 4),
      source: basic.source === enh.source ? basic.source : `${basic.source}; ${enh.source}`,
    };
  }
  return basic ?? enh;
}

/** Explains every recognised part of the text; an empty list means nothing was recognised. */
export function explainText(input: string): Explanation[] {
  const text = input.slice(0, MAX_INPUT);
  const codes = findCodes(text);
  const first = codes[0] ?? null;
  const out: Explanation[] = [];
  for (const p of PROVIDERS) {
    const m = p.pattern.exec(text);
    if (!m) continue;
    out.push({
      match: m[0],
      code: first?.code ?? null,
      enhanced: first?.enhanced ?? null,
      kind: kindOf(first?.code ?? null, first?.enhanced ?? null),
      meaning: p.provider === 'any server' ? p.meaning : `${p.provider}: ${p.meaning}`,
      likelyCause: p.likelyCause,
      nextSteps: p.nextSteps,
      source: p.source,
    });
  }
  for (const f of codes) {
    const e = entryFor(f);
    if (!e) continue;
    out.push({ match: f.match, code: f.code, enhanced: f.enhanced, kind: kindOf(f.code, f.enhanced), ...e });
  }
  return out;
}

const SEVERITY = { success: 'info', intermediate: 'info', transient: 'warning', permanent: 'error', unknown: 'info' } as const;

/** Explain an SMTP error text in plain words. */
export function explainSmtpText(text: string): { section: ExplainSection; findings: Finding[] } {
  const explanations = explainText(text);
  const findings = explanations.map((e) =>
    finding({
      id: `explain.${e.code ?? e.enhanced ?? 'text'}`,
      area: 'smtp',
      severity: SEVERITY[e.kind],
      title: e.meaning,
      detail: `${e.likelyCause}${e.nextSteps.length ? ` Next: ${e.nextSteps.join(' ')}` : ''}`,
      evidence: { match: e.match, code: e.code, enhanced: e.enhanced, source: e.source },
    }),
  );
  if (findings.length === 0) {
    findings.push(finding({
      id: 'explain.unrecognised', area: 'smtp', severity: 'info',
      title: 'No SMTP reply code or known provider message found in this text',
      detail: 'Paste the whole error, including the three-digit code (e.g. "421 4.7.0 …").',
      evidence: { length: text.length },
    }));
  }
  return { section: { input: text.slice(0, 20_000), explanations }, findings };
}
