import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const welcomeTemplate: MailTemplateSource = {
  subject: 'Welcome to {{brand.displayName}}',
  html: `<p style="${PARAGRAPH_STYLE}">Hi {{recipientName}},</p>
<p style="${PARAGRAPH_STYLE}">Your account at {{brand.displayName}} is ready. Sign in to get started.</p>
{{> button url=loginUrl label="Sign in"}}
{{#if verifyUrl}}
<p style="${PARAGRAPH_STYLE}">Please also confirm that this is your email address. The link expires on {{verifyExpiresAt}}.</p>
{{> button url=verifyUrl label="Verify email address"}}
{{/if}}`,
  text: `Hi {{recipientName}},

Your account at {{brand.displayName}} is ready. Sign in to get started:
{{loginUrl}}
{{#if verifyUrl}}

Please also confirm that this is your email address (the link expires on {{verifyExpiresAt}}):
{{verifyUrl}}
{{/if}}`,
};
