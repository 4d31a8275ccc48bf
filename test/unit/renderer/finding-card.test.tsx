// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { PortResult } from '../../../electron/smtp/schema.ts';
import { supportTranscript } from '../../../electron/smtp/signin.ts';
import { FindingCard } from '../../../renderer/src/components/FindingCard.tsx';
import type { Finding } from '../../../electron/core/finding.ts';

afterEach(cleanup);

// A refusal only the provider can lift: the card offers the port's dialogue (as the engine writes it) for its support.
const port = {
  port: 587, security: 'starttls', address: '192.0.2.10', outcome: 'rejected', phase: 'mail',
  transcript: [
    { t: 0, dir: 'i', text: 'connecting to 192.0.2.10:587' },
    { t: 31, dir: 's', text: '220 smtp.example.com ESMTP' },
    { t: 40, dir: 'c', text: 'MAIL FROM:<sam@example.com>' },
    { t: 52, dir: 's', text: '554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using Spamhaus' },
  ],
} as unknown as PortResult;
const transcript = supportTranscript('smtp.example.com', port);
const blocked: Finding = {
  id: 'smtp.provider-block.587', area: 'smtp', severity: 'error',
  title: 'The server is holding back mail from your internet address (port 587: 554 5.7.1)',
  detail: 'The report carries this port\'s transcript to copy into a message to the provider\'s support.',
  evidence: { host: 'smtp.example.com', port: 587, supportTranscript: transcript },
  fixes: [],
};

describe('FindingCard', () => {
  it('"Copy the transcript for the provider\'s support" puts the dialogue on the clipboard and says so', async () => {
    render(<ul><FindingCard finding={blocked} onFix={() => {}} /></ul>);
    fireEvent.click(screen.getByRole('button', { name: "Copy the transcript for the provider's support" }));
    expect(await screen.findByText(/Copied: paste it into your message/)).toBeTruthy();
    const copied = await navigator.clipboard.readText();
    expect(copied).toBe(transcript);
    expect(copied).toMatch(/^MailMedic SMTP test of smtp\.example\.com \(192\.0\.2\.10\) port 587/);
    expect(copied).toContain('S: 554 5.7.1 Service unavailable');
  });

  it('no transcript in the evidence, no copy button', () => {
    render(<ul><FindingCard finding={{ ...blocked, evidence: { host: 'smtp.example.com' } }} onFix={() => {}} /></ul>);
    expect(screen.queryByRole('button', { name: /Copy the transcript/ })).toBeNull();
  });
});
