import { describe, expect, it } from 'vitest';
import { parseEhlo } from '../../../electron/smtp/ehlo.ts';
import { detectInterception } from '../../../electron/smtp/antivirus.ts';

describe('parseEhlo', () => {
  it('reads Gmail-style capabilities', () => {
    const caps = parseEhlo('smtp.gmail.com at your service, [203.0.113.7]\nSIZE 35882577\n8BITMIME\nAUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\nENHANCEDSTATUSCODES\nPIPELINING\nCHUNKING\nSMTPUTF8');
    expect(caps).toMatchObject({ name: 'smtp.gmail.com', size: 35882577, eightBitMime: true, pipelining: true, smtpUtf8: true, starttls: false });
    expect(caps.auth).toEqual(['LOGIN', 'PLAIN', 'XOAUTH2', 'PLAIN-CLIENTTOKEN', 'OAUTHBEARER', 'XOAUTH']);
  });

  it('reads the old "AUTH=" form, STARTTLS, and SIZE 0 as no limit', () => {
    const caps = parseEhlo('mx.example.net\nAUTH=LOGIN PLAIN\nSTARTTLS\nSIZE 0');
    expect(caps).toMatchObject({ starttls: true, size: null, auth: ['LOGIN', 'PLAIN'] });
  });
});

describe('detectInterception', () => {
  it.each([
    ['Avast Web/Mail Shield Root, AVAST Software', 'Avast'],
    ['AVG Web/Mail Shield Root', 'AVG'],
    ['ESET SSL Filter CA', 'ESET'],
    ['Kaspersky Anti-Virus Personal Root Certificate', 'Kaspersky'],
    ['Bitdefender Personal CA.Net-Defender', 'Bitdefender'],
    ['Sophos SSL CA_ABC123', 'Sophos'],
    ['Trend Micro InterScan', 'Trend Micro'],
    ['McAfee Web Gateway', 'McAfee'],
    ['Norton Web/Mail Shield Root', 'Norton'],
  ])('%s → %s', (issuer, product) => {
    expect(detectInterception(issuer)).toBe(product);
  });

  it.each([["Let's Encrypt, R11"], ['DigiCert Global G2 TLS RSA SHA256 2020 CA1'], ['Google Trust Services, WR2'], ['Microsoft Azure RSA TLS Issuing CA 04']])(
    'a public CA is not interception: %s',
    (issuer) => {
      expect(detectInterception(issuer)).toBeNull();
    },
  );
});
