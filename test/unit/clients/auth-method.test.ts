import { describe, expect, it } from 'vitest';
import { clawsAuthMethod, evolutionAuthMethod, outlookAuthMethod, thunderbirdAuthMethod } from '../../../electron/clients/auth-method.ts';

// Each program's own sign-in setting → the kind of sign-in and the SASL mechanisms it will try.

describe('outgoing sign-in settings', () => {
  it.each([
    [null, 'password', ['PLAIN', 'LOGIN']],
    [1, 'none', []],
    [3, 'password', ['PLAIN', 'LOGIN']],
    [4, 'encrypted-password', ['CRAM-MD5']],
    [5, 'gssapi', ['GSSAPI']],
    [6, 'ntlm', ['NTLM']],
    [7, 'tls-certificate', ['EXTERNAL']],
    [8, 'encrypted-password', ['CRAM-MD5', 'XOAUTH2']],
    [9, 'automatic', null],
    [10, 'oauth2', ['XOAUTH2']],
    [42, 'other', null],
  ] as const)('Thunderbird authMethod %s → %s', (code, kind, mechanisms) => {
    const m = thunderbirdAuthMethod(code, 'mail.smtpserver.smtp1.authMethod');
    expect(m).toMatchObject({ kind, mechanisms });
    expect(m.setting).toBe(`mail.smtpserver.smtp1.authMethod = ${code === null ? '(not set: 3)' : code}`);
  });

  it('Outlook: no auth, SPA (NTLM) under either value name, or the password', () => {
    expect(outlookAuthMethod(0, null, null)).toMatchObject({ kind: 'none', mechanisms: [], setting: 'SMTP Use Auth = 0' });
    expect(outlookAuthMethod(1, { name: 'SMTP Use SPA', value: 1 }, 0)).toMatchObject({ kind: 'ntlm', setting: 'SMTP Use Auth = 1; SMTP Use SPA = 1; SMTP Auth Method = 0' });
    expect(outlookAuthMethod(1, { name: 'SMTP Use Sicily', value: 0 }, null)).toMatchObject({ kind: 'password', mechanisms: ['LOGIN', 'PLAIN'] });
  });

  it.each([
    [undefined, 'none'], ['', 'none'], ['PLAIN', 'password'], ['LOGIN', 'password'], ['CRAM-MD5', 'encrypted-password'],
    ['XOAUTH2', 'oauth2'], ['Google', 'oauth2'], ['Outlook', 'oauth2'], ['NTLM', 'ntlm'], ['GSSAPI', 'gssapi'], ['X-WEIRD', 'other'],
  ] as const)('Evolution Method=%s → %s', (method, kind) => {
    expect(evolutionAuthMethod(method).kind).toBe(kind);
  });

  it.each([
    ['0', '32', 'none', []],
    ['1', '0', 'automatic', ['CRAM-MD5', 'LOGIN', 'PLAIN', 'XOAUTH2']],
    ['1', '1', 'password', ['LOGIN']],
    ['1', '16', 'password', ['PLAIN']],
    ['1', '2', 'encrypted-password', ['CRAM-MD5']],
    ['1', '4', 'encrypted-password', ['DIGEST-MD5']],
    ['1', '32', 'oauth2', ['XOAUTH2']],
  ] as const)('Claws use_smtp_auth=%s smtp_auth_method=%s → %s', (use, method, kind, mechanisms) => {
    expect(clawsAuthMethod(use, method)).toMatchObject({ kind, mechanisms });
  });
});
