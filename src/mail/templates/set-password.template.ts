import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const setPasswordTemplate: MailTemplateSource = {
  subject: 'Set your {{brand.displayName}} password',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">You are the owner of {{brand.displayName}}. Choose a password to sign in.</p>
{{> button url=resetUrl label="Set password"}}
<p style="${PARAGRAPH_STYLE}">The link expires on {{expiresAt}}. After that, a password reset mails a new one.</p>`,
  text: `Hi {{recipientName}},

You are the owner of {{brand.displayName}}. Choose a password to sign in here:
{{resetUrl}}

The link expires on {{expiresAt}}. After that, a password reset mails a new one.`,
};
