import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAutoconfig, MAX_XML_BYTES } from '../../../electron/smtp/provider/autoconfig.ts';
import { mxBaseDomain } from '../../../electron/smtp/provider/lookup.ts';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/smtp/autoconfig');

describe('parseAutoconfig', () => {
  it('reads the ISPDB Gmail entry (outgoing only, OAuth2 and password)', () => {
    const r = parseAutoconfig(readFileSync(path.join(FIX, 'gmail.com.xml'), 'utf8'));
    expect(r).toEqual({
      providerName: 'Google Mail',
      servers: [{ hostname: 'smtp.gmail.com', port: 465, security: 'implicit', authentication: ['OAuth2', 'password-cleartext'], username: '%EMAILADDRESS%' }],
    });
  });

  it('skips servers with an unknown socket type or a bad port', () => {
    const xml = '<clientConfig><emailProvider id="x"><outgoingServer type="smtp"><hostname>a</hostname><port>99999</port><socketType>SSL</socketType></outgoingServer>' +
      '<outgoingServer type="smtp"><hostname>b</hostname><port>25</port><socketType>weird</socketType></outgoingServer>' +
      '<outgoingServer type="smtp"><hostname>c</hostname><port>25</port><socketType>plain</socketType></outgoingServer></emailProvider></clientConfig>';
    expect(parseAutoconfig(xml).servers.map((s) => [s.hostname, s.security])).toEqual([['c', 'none']]);
  });

  it('does not expand DOCTYPE entities (billion-laughs) and refuses oversized documents', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' +
      '<clientConfig><emailProvider><displayName>&b;</displayName></emailProvider></clientConfig>';
    expect(parseAutoconfig(bomb).providerName).toBe('&b;');
    expect(() => parseAutoconfig(`<clientConfig>${' '.repeat(MAX_XML_BYTES)}</clientConfig>`)).toThrow(/larger than/);
  });
});

describe('mxBaseDomain', () => {
  it.each([
    ['aspmx.l.google.com.', 'google.com'],
    ['example-com.mail.protection.outlook.com', 'outlook.com'],
    ['mx01.mail.icloud.com', 'icloud.com'],
  ])('%s → %s', (mx, base) => {
    expect(mxBaseDomain(mx)).toBe(base);
  });
});
