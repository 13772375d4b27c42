import type { MailKind } from '../mail.types';
import { emailChangeNoticeTemplate } from './email-change-notice.template';
import { emailChangeTemplate } from './email-change.template';
import { emailVerificationTemplate } from './email-verification.template';
import { invitationTemplate } from './invitation.template';
import { passwordResetTemplate } from './password-reset.template';
import { paymentFailedTemplate } from './payment-failed.template';
import { setPasswordTemplate } from './set-password.template';
import { trialEndingTemplate } from './trial-ending.template';
import { welcomeTemplate } from './welcome.template';

/**
 * Handlebars sources of one kind. `html` is the body inside the shared layout and escapes `{{}}`;
 * `subject` and `text` are plain text and are compiled without HTML escaping.
 */
export interface MailTemplateSource {
  subject: string;
  html: string;
  text: string;
}

export const MAIL_TEMPLATES: Record<MailKind, MailTemplateSource> = {
  welcome: welcomeTemplate,
  invitation: invitationTemplate,
  'password-reset': passwordResetTemplate,
  'set-password': setPasswordTemplate,
  'email-verification': emailVerificationTemplate,
  'email-change': emailChangeTemplate,
  'email-change-notice': emailChangeNoticeTemplate,
  'payment-failed': paymentFailedTemplate,
  'trial-ending': trialEndingTemplate,
};
