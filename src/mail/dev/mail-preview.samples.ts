import type { MailContent, MailKind } from '../mail.types';

const IN_A_WEEK = () => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

/** Made-up content of each kind, so a template can be looked at with a tenant's real branding. */
export function sampleContentOf(kind: MailKind, tenantSlug: string): MailContent {
  switch (kind) {
    case 'welcome':
      return {
        kind,
        data: {
          recipientName: 'Ada Lovelace',
          tenantSlug,
          verificationToken: 'preview-token',
          verificationExpiresAt: IN_A_WEEK(),
        },
      };
    case 'invitation':
      return {
        kind,
        data: {
          inviterName: 'Grace Hopper',
          role: 'member',
          token: 'preview-token',
          tenantSlug,
          expiresAt: IN_A_WEEK(),
        },
      };
    case 'password-reset':
    case 'set-password':
      return {
        kind,
        data: { recipientName: 'Ada Lovelace', token: 'preview-token', tenantSlug, expiresAt: IN_A_WEEK() },
      };
    case 'email-verification':
    case 'email-change':
      return {
        kind,
        data: { recipientName: 'Ada Lovelace', token: 'preview-token', tenantSlug, expiresAt: IN_A_WEEK() },
      };
    case 'email-change-notice':
      return { kind, data: { recipientName: 'Ada Lovelace', newEmail: 'ada@example.org', tenantSlug } };
    case 'payment-failed':
      return {
        kind,
        data: { amountDue: '$29.00', hostedInvoiceUrl: 'https://invoice.stripe.com/i/preview', tenantSlug },
      };
    case 'trial-ending':
      return { kind, data: { trialEndsAt: IN_A_WEEK(), tenantSlug } };
  }
}
