import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const welcomeTemplate: MailTemplateSource = {
  subject: 'Welcome to {{brand.displayName}}',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">Your account at {{brand.displayName}} is ready. Sign in to get started.</p>
{{> button url=loginUrl label="Sign in"}}`,
  text: `Hi {{recipientName}},

Your account at {{brand.displayName}} is ready. Sign in to get started:
{{loginUrl}}`,
};
