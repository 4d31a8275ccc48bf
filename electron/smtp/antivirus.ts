// Antivirus and TLS-inspecting proxies re-sign the server's certificate with their own local root CA.
// Recognising that root's name in the issuer is the one reliable sign of interception.
// Names are the CA common names / organisations these products install; matched case-insensitively.

const INTERCEPTORS: ReadonlyArray<{ product: string; pattern: RegExp }> = [
  { product: 'Avast', pattern: /\bavast\b/i },
  { product: 'AVG', pattern: /\bAVG\b(?!\w)/ },
  { product: 'ESET', pattern: /\beset\b/i },
  { product: 'Kaspersky', pattern: /kaspersky/i },
  { product: 'Bitdefender', pattern: /bitdefender/i },
  { product: 'Norton', pattern: /\bnorton\b|\bsymantec\b.*\b(personal|web|mail)\b/i },
  { product: 'McAfee', pattern: /mcafee/i },
  { product: 'Sophos', pattern: /\bsophos\b/i },
  { product: 'Trend Micro', pattern: /trend\s*micro/i },
  { product: 'Dr.Web', pattern: /dr\.?\s?web/i },
  { product: 'F-Secure', pattern: /f-secure/i },
  { product: 'Panda', pattern: /\bpanda security\b/i },
  { product: 'G DATA', pattern: /\bg\s?data\b/i },
  { product: 'Emsisoft', pattern: /emsisoft/i },
  { product: 'Webroot', pattern: /webroot/i },
  { product: 'Malwarebytes', pattern: /malwarebytes/i },
  { product: 'Fortinet', pattern: /fortinet|fortigate/i },
  { product: 'Zscaler', pattern: /zscaler/i },
  { product: 'Cisco Umbrella', pattern: /cisco umbrella/i },
  { product: 'Netskope', pattern: /netskope/i },
  { product: 'Palo Alto Networks', pattern: /palo alto networks/i },
];

/** The product whose CA issued the certificate, or null. `issuer` is any text naming the issuer (CN, O, OU). */
export function detectInterception(issuer: string | null): string | null {
  if (!issuer) return null;
  return INTERCEPTORS.find((i) => i.pattern.test(issuer))?.product ?? null;
}
