import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const emailVerificationTemplate: MailTemplateSource = {
  subject: 'Verify your email address for {{brand.displayName}}',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">Confirm that this is the address of your {{brand.displayName}} account.</p>
{{> button url=verifyUrl label="Verify email address"}}
<p style="${PARAGRAPH_STYLE}">The link expires on {{expiresAt}}. If you did not ask for it, ignore this mail.</p>`,
  text: `Hi {{recipientName}},

Confirm that this is the address of your {{brand.displayName}} account:
{{verifyUrl}}

The link expires on {{expiresAt}}. If you did not ask for it, ignore this mail.`,
};
