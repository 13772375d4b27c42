import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const invitationTemplate: MailTemplateSource = {
  subject: '{{inviterName}} invited you to join {{brand.displayName}}',
  html: `<p style="${PARAGRAPH_STYLE}">Hello,</p>
<p style="${PARAGRAPH_STYLE}">{{inviterName}} invited you to join {{brand.displayName}} as {{roleWithArticle}}.</p>
{{> button url=acceptUrl label="Accept invitation"}}
<p style="${PARAGRAPH_STYLE}">The invitation expires on {{expiresAt}}. If you did not expect it, you can ignore this mail.</p>`,
  text: `Hello,

{{inviterName}} invited you to join {{brand.displayName}} as {{roleWithArticle}}. Accept the invitation here:
{{acceptUrl}}

The invitation expires on {{expiresAt}}. If you did not expect it, you can ignore this mail.`,
};
