import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const emailChangeTemplate: MailTemplateSource = {
  subject: 'Confirm your new email address for {{brand.displayName}}',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">You asked to use this address for your {{brand.displayName}} account. The change takes effect once you confirm it.</p>
{{> button url=verifyUrl label="Confirm new address"}}
<p style="${PARAGRAPH_STYLE}">The link expires on {{expiresAt}}. If you did not ask for it, ignore this mail: the account keeps its current address.</p>`,
  text: `Hi {{recipientName}},

You asked to use this address for your {{brand.displayName}} account. The change takes effect once you confirm it here:
{{verifyUrl}}

The link expires on {{expiresAt}}. If you did not ask for it, ignore this mail: the account keeps its current address.`,
};
