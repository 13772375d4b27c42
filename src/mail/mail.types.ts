export const MAIL_KINDS = [
  'welcome',
  'invitation',
  'password-reset',
  'set-password',
  'email-verification',
  'email-change',
  'email-change-notice',
  'payment-failed',
  'trial-ending',
] as const;

export type MailKind = (typeof MAIL_KINDS)[number];

/** A tenant's mail branding as stored; the renderer validates it again before use. */
export interface TenantBranding {
  displayName: string;
  logoUrl?: string;
  /** `#rrggbb` */
  primaryColor: string;
  fromName: string;
  replyTo?: string;
  supportUrl?: string;
}

export type InvitedRole = 'admin' | 'member';

/* Mail content travels through the outbox and RabbitMQ as JSON: plain strings only, dates as ISO 8601. */

export interface WelcomeMailData {
  recipientName: string;
  tenantSlug: string;
  /** Set while the address is unverified: the welcome then carries the verification link. */
  verificationToken?: string;
  verificationExpiresAt?: string;
}

export interface InvitationMailData {
  inviterName: string;
  role: InvitedRole;
  token: string;
  tenantSlug: string;
  expiresAt: string;
}

export interface PasswordResetMailData {
  recipientName: string;
  token: string;
  tenantSlug: string;
  expiresAt: string;
}

/** To the owner of a tenant made on the command line: the link sets the identity's first password. */
export interface SetPasswordMailData {
  recipientName: string;
  token: string;
  tenantSlug: string;
  expiresAt: string;
}

/** A link that verifies the recipient's address (asked again, or for a new account). */
export interface EmailVerificationMailData {
  recipientName: string;
  token: string;
  tenantSlug: string;
  expiresAt: string;
}

/** To the new address of an email change: the change takes effect when its link is used. */
export interface EmailChangeMailData {
  recipientName: string;
  token: string;
  tenantSlug: string;
  expiresAt: string;
}

/** To the current address when a change to another one is asked, so its owner can tell. */
export interface EmailChangeNoticeMailData {
  recipientName: string;
  newEmail: string;
  tenantSlug: string;
}

export interface PaymentFailedMailData {
  /** Already formatted with its currency, e.g. `$29.00`. */
  amountDue?: string;
  /** Stripe's hosted invoice page; used only when it is an https URL. */
  hostedInvoiceUrl?: string;
  tenantSlug: string;
}

export interface TrialEndingMailData {
  trialEndsAt: string;
  tenantSlug: string;
}

export type MailContent =
  | { kind: 'welcome'; data: WelcomeMailData }
  | { kind: 'invitation'; data: InvitationMailData }
  | { kind: 'password-reset'; data: PasswordResetMailData }
  | { kind: 'set-password'; data: SetPasswordMailData }
  | { kind: 'email-verification'; data: EmailVerificationMailData }
  | { kind: 'email-change'; data: EmailChangeMailData }
  | { kind: 'email-change-notice'; data: EmailChangeNoticeMailData }
  | { kind: 'payment-failed'; data: PaymentFailedMailData }
  | { kind: 'trial-ending'; data: TrialEndingMailData };

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}
