import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const emailChangeNoticeTemplate: MailTemplateSource = {
  subject: 'A change of your {{brand.displayName}} email address was asked',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">Someone signed in to your {{brand.displayName}} account asked to change its email address to {{newEmail}}. It changes only once that address confirms it.</p>
<p style="${PARAGRAPH_STYLE}">If this was not you, reset your password now.</p>
{{> button url=resetUrl label="Reset password"}}`,
  text: `Hi {{recipientName}},

Someone signed in to your {{brand.displayName}} account asked to change its email address to {{newEmail}}. It changes only once that address confirms it.

If this was not you, reset your password now:
{{resetUrl}}`,
};
