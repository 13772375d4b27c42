import { PARAGRAPH_STYLE } from './mail-layout.template';
import type { MailTemplateSource } from './mail-templates';

export const paymentFailedTemplate: MailTemplateSource = {
  subject: 'Your {{brand.displayName}} payment failed',
  html: `<p style="${PARAGRAPH_STYLE}">Hello,</p>
<p style="${PARAGRAPH_STYLE}">{{#if amountDue}}We could not collect your payment of {{amountDue}}{{else}}We could not collect your latest payment{{/if}} for {{brand.displayName}}. Please update your payment method to keep your subscription active.</p>
{{> button url=billingUrl label="Update payment method"}}
{{#if invoiceUrl}}
<p style="${PARAGRAPH_STYLE}">You can also <a href="{{invoiceUrl}}" style="color:{{brand.primaryColor}};">view and pay the invoice</a>.</p>
{{/if}}`,
  text: `Hello,

{{#if amountDue}}We could not collect your payment of {{amountDue}}{{else}}We could not collect your latest payment{{/if}} for {{brand.displayName}}. Please update your payment method to keep your subscription active:
{{billingUrl}}
{{#if invoiceUrl}}

You can also view and pay the invoice:
{{invoiceUrl}}
{{/if}}`,
};
