import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReplyParser, ReplyProtocolError, splitEnhanced } from '../../../electron/smtp/reply-parser.ts';

// Postfix's real EHLO reply after STARTTLS (recorded from the loopback instance).
const POSTFIX_EHLO =
  '250-mail.loopback.test\r\n250-PIPELINING\r\n250-SIZE 1048576\r\n250-VRFY\r\n250-ETRN\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n' +
  '250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 CHUNKING\r\n';
const GMAIL_534 =
  '534-5.7.9 Application-specific password required. For more information, go to\r\n' +
  '534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2e1a72fcca58-72-0000 - gsmtp\r\n';

describe('ReplyParser', () => {
  it('parses a multi-line EHLO reply into one reply with every line', () => {
    const [r, ...rest] = new ReplyParser().feed(Buffer.from(POSTFIX_EHLO));
    expect(rest).toEqual([]);
    expect(r?.code).toBe(250);
    expect(r?.lines).toHaveLength(10);
    expect(r?.text.split('\n')[5]).toBe('AUTH PLAIN LOGIN CRAM-MD5');
  });

  it('takes the enhanced code from the first line and drops its repeats', () => {
    const [r] = new ReplyParser().feed(Buffer.from(GMAIL_534));
    expect(r).toMatchObject({ code: 534, enhanced: '5.7.9' });
    expect(r?.text).toBe('Application-specific password required. For more information, go to\nhttps://support.google.com/mail/?p=InvalidSecondFactor d2e1a72fcca58-72-0000 - gsmtp');
  });

  it('accepts bare LF and a bare code without text', () => {
    const out = new ReplyParser().feed(Buffer.from('220 hi\n250\r\n'));
    expect(out.map((r) => [r.code, r.text])).toEqual([[220, 'hi'], [250, '']]);
  });

  it('returns the same replies however the bytes are split (property)', () => {
    const stream = Buffer.from(`220 mail.loopback.test ESMTP\r\n${POSTFIX_EHLO}${GMAIL_534}221 2.0.0 Bye\r\n`);
    const whole = new ReplyParser().feed(stream);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const p = new ReplyParser();
        const got = [];
        let prev = 0;
        for (const c of [...points, stream.length]) {
          got.push(...p.feed(stream.subarray(prev, c)));
          prev = c;
        }
        expect(got).toEqual(whole);
      }),
    );
  });

  it('a line longer than the limit is an error as soon as it is too long, even without a newline', () => {
    const p = new ReplyParser({ maxLineBytes: 100, maxLines: 10 });
    expect(p.feed(Buffer.alloc(60, 0x41))).toEqual([]);
    expect(() => p.feed(Buffer.alloc(60, 0x41))).toThrow(ReplyProtocolError);
  });

  it('endless continuation lines hit the line limit', () => {
    const p = new ReplyParser({ maxLineBytes: 100, maxLines: 5 });
    expect(() => p.feed(Buffer.from('220-x\r\n'.repeat(6)))).toThrow(/more than 5 lines/);
  });

  it('rejects what is not SMTP (an HTTP or TLS answer) and a code change inside a reply', () => {
    expect(() => new ReplyParser().feed(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toThrow(/not an SMTP reply/);
    expect(() => new ReplyParser().feed(Buffer.from('250-a\r\n220 b\r\n'))).toThrow(/changed its code/);
  });

  it('midReply tells a half-received reply from silence', () => {
    const p = new ReplyParser();
    expect(p.midReply).toBe(false);
    p.feed(Buffer.from('22'));
    expect(p.midReply).toBe(true);
  });
});

describe('splitEnhanced', () => {
  it.each([
    ['5.7.8 Error: authentication failed', '5.7.8'],
    ['4.7.0 mail.loopback.test Error', '4.7.0'],
    ['2.0.0', '2.0.0'],
    ['mail.example.com ESMTP', null],
    ['5.7.8x not one', null],
  ])('%s → %s', (text, enhanced) => {
    expect(splitEnhanced(text).enhanced).toBe(enhanced);
  });
});
