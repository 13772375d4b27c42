import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const passwordResetTemplate: MailTemplateSource = {
  subject: 'Reset your {{brand.displayName}} password',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">Someone asked to reset the password of your {{brand.displayName}} account.</p>
{{> button url=resetUrl label="Reset password"}}
<p style="${PARAGRAPH_STYLE}">The link expires on {{expiresAt}}. If you did not ask for it, ignore this mail: your password stays as it is.</p>`,
  text: `Hi {{recipientName}},

Someone asked to reset the password of your {{brand.displayName}} account. Choose a new password here:
{{resetUrl}}

The link expires on {{expiresAt}}. If you did not ask for it, ignore this mail: your password stays as it is.`,
};
