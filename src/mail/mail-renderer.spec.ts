import { MAIL_KINDS, type MailContent, type MailKind, type TenantBranding } from './mail.types';
import { MailRenderer } from './mail-renderer';
import { DEFAULT_PRIMARY_COLOR, defaultBranding } from './tenant-branding';

const PUBLIC_URL = 'https://app.example.com';

const acme: TenantBranding = {
  displayName: 'Acme Rockets',
  logoUrl: 'https://cdn.example.com/acme.png',
  primaryColor: '#ff6600',
  fromName: 'Acme',
  replyTo: 'help@acme.example',
  supportUrl: 'https://acme.example.com/help',
};

const TOKEN = 'a+b/c=d&e f';
const ENCODED_TOKEN = 'a%2Bb%2Fc%3Dd%26e+f';

const contentOfKind: Record<MailKind, MailContent> = {
  welcome: { kind: 'welcome', data: { recipientName: 'Ada', tenantSlug: 'acme' } },
  invitation: {
    kind: 'invitation',
    data: {
      inviterName: 'Grace',
      role: 'admin',
      token: TOKEN,
      tenantSlug: 'acme',
      expiresAt: '2030-03-05T14:00:00.000Z',
    },
  },
  'password-reset': {
    kind: 'password-reset',
    data: { recipientName: 'Ada', token: TOKEN, tenantSlug: 'acme', expiresAt: '2030-03-05T14:00:00.000Z' },
  },
  'set-password': {
    kind: 'set-password',
    data: { recipientName: 'Ada', token: TOKEN, tenantSlug: 'acme', expiresAt: '2030-03-05T14:00:00.000Z' },
  },
  'email-verification': {
    kind: 'email-verification',
    data: { recipientName: 'Ada', token: TOKEN, tenantSlug: 'acme', expiresAt: '2030-03-05T14:00:00.000Z' },
  },
  'email-change': {
    kind: 'email-change',
    data: { recipientName: 'Ada', token: TOKEN, tenantSlug: 'acme', expiresAt: '2030-03-05T14:00:00.000Z' },
  },
  'email-change-notice': {
    kind: 'email-change-notice',
    data: { recipientName: 'Ada', newEmail: 'ada@example.org', tenantSlug: 'acme' },
  },
  'payment-failed': {
    kind: 'payment-failed',
    data: { amountDue: '$29.00', hostedInvoiceUrl: 'https://invoice.stripe.com/i/inv_1', tenantSlug: 'acme' },
  },
  'trial-ending': {
    kind: 'trial-ending',
    data: { trialEndsAt: '2030-03-05T00:00:00.000Z', tenantSlug: 'acme' },
  },
};

/** The href values of the HTML as a browser reads them, character references decoded. */
function hrefsIn(html: string): string[] {
  const references: Record<string, string> = { amp: '&', quot: '"', '#x27': "'", '#x3D': '=', '#x60': '`' };
  return [...html.matchAll(/href="([^"]*)"/g)].map(([, value]) =>
    value.replace(/&(amp|quot|#x27|#x3D|#x60);/g, (_, name: string) => references[name]),
  );
}

describe('MailRenderer', () => {
  const renderer = new MailRenderer({ publicUrl: `${PUBLIC_URL}/` });

  it.each(MAIL_KINDS)('renders %s with the tenant name, logo and colour', (kind) => {
    const mail = renderer.render(contentOfKind[kind], acme);

    expect(mail.subject).toContain('Acme Rockets');
    expect(mail.subject).not.toMatch(/\n/);
    expect(mail.html).toContain('Acme Rockets');
    expect(mail.html).toContain('<img src="https://cdn.example.com/acme.png"');
    expect(mail.html).toContain('background-color:#ff6600');
    expect(hrefsIn(mail.html)).toContain('https://acme.example.com/help');
    expect(mail.text).toContain('Acme Rockets');
    expect(mail.text).toContain('Support: https://acme.example.com/help');
    expect(mail.text).not.toMatch(/<[a-z]/i);
    expect(mail.text).not.toMatch(/\n{3}/);
  });

  it('escapes a display name holding markup in the HTML and keeps it literal in the text', () => {
    const displayName = '<script>alert(1)</script>';
    const mail = renderer.render(contentOfKind.welcome, { ...acme, displayName });

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain(displayName);
    expect(mail.subject).toBe(`Welcome to ${displayName}`);
  });

  it('escapes recipient-controlled names in the body', () => {
    const content: MailContent = {
      kind: 'welcome',
      data: { recipientName: '<b onclick=x>Ada</b>', tenantSlug: 'acme' },
    };
    const mail = renderer.render(content, acme);

    expect(mail.html).not.toContain('<b onclick');
    expect(mail.text).toContain('Hi <b onclick=x>Ada</b>,');
  });

  it.each([
    ['invitation', `${PUBLIC_URL}/invitations/accept?token=${ENCODED_TOKEN}&tenant=acme`],
    ['password-reset', `${PUBLIC_URL}/password/reset?token=${ENCODED_TOKEN}&tenant=acme`],
    ['set-password', `${PUBLIC_URL}/password/reset?token=${ENCODED_TOKEN}&tenant=acme`],
    ['welcome', `${PUBLIC_URL}/login?tenant=acme`],
    ['email-verification', `${PUBLIC_URL}/email/verify?token=${ENCODED_TOKEN}&tenant=acme`],
    ['email-change', `${PUBLIC_URL}/email/verify?token=${ENCODED_TOKEN}&tenant=acme`],
    ['email-change-notice', `${PUBLIC_URL}/password/forgot?tenant=acme`],
    ['payment-failed', `${PUBLIC_URL}/settings/billing?tenant=acme`],
    ['trial-ending', `${PUBLIC_URL}/settings/billing?tenant=acme`],
  ] as const)('links %s to %s, query values encoded', (kind, link) => {
    const mail = renderer.render(contentOfKind[kind], acme);

    expect(hrefsIn(mail.html)).toContain(link);
    expect(mail.text).toContain(link);
  });

  it('asks the owner of a tenant made on the command line to set a password, not to reset one', () => {
    const mail = renderer.render(contentOfKind['set-password'], acme);

    expect(mail.subject).toBe('Set your Acme Rockets password');
    expect(mail.text).toContain('You are the owner of Acme Rockets. Choose a password to sign in');
    expect(mail.text).toContain('March 5, 2030 at 2:00 PM UTC');
    expect(mail.html).toContain('Set password');
    expect(mail.text).not.toMatch(/reset the password|did not ask/i);
  });

  it('adds the verification link to a welcome while the address is unverified, and only then', () => {
    const content: MailContent = {
      kind: 'welcome',
      data: {
        recipientName: 'Ada',
        tenantSlug: 'acme',
        verificationToken: TOKEN,
        verificationExpiresAt: '2030-03-05T14:00:00.000Z',
      },
    };
    const link = `${PUBLIC_URL}/email/verify?token=${ENCODED_TOKEN}&tenant=acme`;
    const withLink = renderer.render(content, acme);
    expect(hrefsIn(withLink.html)).toEqual(expect.arrayContaining([`${PUBLIC_URL}/login?tenant=acme`, link]));
    expect(withLink.text).toContain(link);
    expect(withLink.text).toContain('March 5, 2030 at 2:00 PM UTC');

    const withoutLink = renderer.render(contentOfKind.welcome, acme);
    expect(withoutLink.text).not.toContain('/email/verify');
    expect(withoutLink.html).not.toContain('Verify email address');
  });

  it('shows dates in words, in UTC', () => {
    expect(renderer.render(contentOfKind.invitation, acme).text).toContain('March 5, 2030 at 2:00 PM UTC');
    expect(renderer.render(contentOfKind['trial-ending'], acme).subject).toContain('March 5, 2030');
  });

  it('links the hosted invoice of a failed payment, and leaves out a link that is not https', () => {
    const withInvoice = renderer.render(contentOfKind['payment-failed'], acme);
    expect(hrefsIn(withInvoice.html)).toContain('https://invoice.stripe.com/i/inv_1');
    expect(withInvoice.text).toContain('$29.00');

    const content: MailContent = {
      kind: 'payment-failed',
      data: { hostedInvoiceUrl: 'javascript:alert(1)', tenantSlug: 'acme' },
    };
    const withoutInvoice = renderer.render(content, acme);
    expect(withoutInvoice.html).not.toContain('javascript:');
    expect(withoutInvoice.text).toContain('We could not collect your latest payment');
  });

  it('falls back to the default colour when the stored one is not #rrggbb', () => {
    const mail = renderer.render(contentOfKind.welcome, {
      ...acme,
      primaryColor: 'red;background:url(https://evil.example/x)',
    });

    expect(mail.html).not.toContain('evil.example');
    expect(mail.html).toContain(`background-color:${DEFAULT_PRIMARY_COLOR}`);
  });

  it('drops a logo or support link that is not an https URL', () => {
    const mail = renderer.render(contentOfKind.welcome, {
      ...acme,
      logoUrl: 'javascript:alert(1)',
      supportUrl: 'http://acme.example.com/help',
    });

    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('javascript:');
    expect(mail.html).not.toContain('Contact support');
    expect(mail.text).not.toContain('Support:');
  });

  it('picks a dark button text on a light primary colour', () => {
    const mail = renderer.render(contentOfKind.welcome, { ...acme, primaryColor: '#ffee00' });

    expect(mail.html).toContain('color:#18181b;text-decoration:none');
  });

  it('renders with the default branding of a tenant that has none', () => {
    const mail = renderer.render(contentOfKind.welcome, defaultBranding('Globex'));

    expect(mail.subject).toBe('Welcome to Globex');
    expect(mail.html).toContain(`background-color:${DEFAULT_PRIMARY_COLOR}`);
    expect(mail.html).toContain('color:#ffffff;text-decoration:none');
    expect(mail.html).not.toContain('<img');
  });

  it('refuses content whose date is not an ISO date', () => {
    const content: MailContent = { kind: 'trial-ending', data: { trialEndsAt: 'soon', tenantSlug: 'acme' } };

    expect(() => renderer.render(content, acme)).toThrow(/trialEndsAt/);
  });
});
