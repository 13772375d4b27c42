import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const trialEndingTemplate: MailTemplateSource = {
  subject: 'Your {{brand.displayName}} trial ends on {{trialEndsAt}}',
  html: `<p style="${PARAGRAPH_STYLE}">Hello,</p>
<p style="${PARAGRAPH_STYLE}">Your {{brand.displayName}} trial ends on {{trialEndsAt}}. Choose a plan to keep your features without interruption.</p>
{{> button url=billingUrl label="Choose a plan"}}`,
  text: `Hello,

Your {{brand.displayName}} trial ends on {{trialEndsAt}}. Choose a plan to keep your features without interruption:
{{billingUrl}}`,
};
