import type { InvitedRole, MailContent } from './mail.types';
import type { MailLinks } from './mail-links';
import { httpsUrlOrUndefined } from './tenant-branding';

/** The per-kind values a template sees beside `brand`: links built, dates formatted, optional values checked. */
export type KindTemplateView = Record<string, string | undefined>;

const ROLE_WITH_ARTICLE: Record<InvitedRole, string> = { admin: 'an admin', member: 'a member' };

/* Mails are in English and show times in UTC: recipients of one tenant can be anywhere. */
const DATE_TIME_FORMAT = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const DATE_FORMAT = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

export function kindTemplateViewOf(content: MailContent, links: MailLinks): KindTemplateView {
  switch (content.kind) {
    case 'welcome': {
      const { verificationToken, verificationExpiresAt, tenantSlug } = content.data;
      return {
        recipientName: content.data.recipientName,
        loginUrl: links.login(tenantSlug),
        verifyUrl: verificationToken ? links.verifyEmail(verificationToken, tenantSlug) : undefined,
        verifyExpiresAt: verificationExpiresAt
          ? formattedTime(verificationExpiresAt, 'verificationExpiresAt')
          : undefined,
      };
    }
    case 'invitation':
      return {
        inviterName: content.data.inviterName,
        roleWithArticle: ROLE_WITH_ARTICLE[content.data.role],
        acceptUrl: links.acceptInvitation(content.data.token, content.data.tenantSlug),
        expiresAt: `${DATE_TIME_FORMAT.format(parseIsoDate(content.data.expiresAt, 'expiresAt'))} UTC`,
      };
    case 'password-reset':
    case 'set-password':
      return {
        recipientName: content.data.recipientName,
        resetUrl: links.resetPassword(content.data.token, content.data.tenantSlug),
        expiresAt: `${DATE_TIME_FORMAT.format(parseIsoDate(content.data.expiresAt, 'expiresAt'))} UTC`,
      };
    case 'email-verification':
    case 'email-change':
      return {
        recipientName: content.data.recipientName,
        verifyUrl: links.verifyEmail(content.data.token, content.data.tenantSlug),
        expiresAt: formattedTime(content.data.expiresAt, 'expiresAt'),
      };
    case 'email-change-notice':
      return {
        recipientName: content.data.recipientName,
        newEmail: content.data.newEmail,
        resetUrl: links.forgotPassword(content.data.tenantSlug),
      };
    case 'payment-failed':
      return {
        amountDue: content.data.amountDue,
        invoiceUrl: httpsUrlOrUndefined(content.data.hostedInvoiceUrl),
        billingUrl: links.billingSettings(content.data.tenantSlug),
      };
    case 'trial-ending':
      return {
        trialEndsAt: DATE_FORMAT.format(parseIsoDate(content.data.trialEndsAt, 'trialEndsAt')),
        billingUrl: links.billingSettings(content.data.tenantSlug),
      };
  }
}

function formattedTime(value: string, field: string): string {
  return `${DATE_TIME_FORMAT.format(parseIsoDate(value, field))} UTC`;
}

/* A bad date is a bug in the code that queued the mail; failing loudly beats telling a user "Invalid Date". */
function parseIsoDate(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new RangeError(`Mail field ${field} is not an ISO date: "${value}"`);
  return date;
}
