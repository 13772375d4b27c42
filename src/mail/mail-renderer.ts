import Handlebars from 'handlebars';
import {
  MAIL_KINDS,
  type MailContent,
  type MailKind,
  type RenderedMail,
  type TenantBranding,
} from './mail.types';
import { MailLinks } from './mail-links';
import { kindTemplateViewOf } from './mail-template-view';
import { BUTTON_PARTIAL, HTML_LAYOUT, TEXT_LAYOUT } from './templates/mail-layout.template';
import { MAIL_TEMPLATES } from './templates/mail-templates';
import { displayBrandingOf, type DisplayBranding } from './tenant-branding';

type CompiledTemplate<View> = Handlebars.TemplateDelegate<View>;

interface CompiledMailTemplate {
  subject: CompiledTemplate<object>;
  html: CompiledTemplate<object>;
  text: CompiledTemplate<object>;
}

interface HtmlLayoutView {
  subject: string;
  brand: DisplayBranding;
  bodyHtml: string;
}

interface TextLayoutView {
  brand: DisplayBranding;
  body: string;
}

export interface MailRendererOptions {
  /** Base of every link in a mail, e.g. `https://app.example.com` (config `http.publicUrl`). */
  publicUrl: string;
}

/** Renders a mail of any kind in a tenant's branding: subject, HTML and plain text. */
export class MailRenderer {
  private readonly links: MailLinks;
  private readonly templates: Record<MailKind, CompiledMailTemplate>;
  private readonly htmlLayout: CompiledTemplate<HtmlLayoutView>;
  private readonly textLayout: CompiledTemplate<TextLayoutView>;

  constructor({ publicUrl }: MailRendererOptions) {
    this.links = new MailLinks(publicUrl);
    // An isolated instance, so the partial registered here cannot clash with other Handlebars users.
    const handlebars = Handlebars.create();
    handlebars.registerPartial('button', BUTTON_PARTIAL);
    // strict: a misspelt field throws instead of rendering as an empty string.
    const html = <View>(source: string) => handlebars.compile<View>(source, { strict: true });
    const plain = <View>(source: string) =>
      handlebars.compile<View>(source, { strict: true, noEscape: true });

    this.htmlLayout = html(HTML_LAYOUT);
    this.textLayout = plain(TEXT_LAYOUT);
    const compiled = MAIL_KINDS.map((kind): [MailKind, CompiledMailTemplate] => {
      const source = MAIL_TEMPLATES[kind];
      return [kind, { subject: plain(source.subject), html: html(source.html), text: plain(source.text) }];
    });
    this.templates = Object.fromEntries(compiled) as Record<MailKind, CompiledMailTemplate>;
  }

  render(content: MailContent, branding: TenantBranding): RenderedMail {
    const brand = displayBrandingOf(branding);
    const view = { ...kindTemplateViewOf(content, this.links), brand };
    const template = this.templates[content.kind];
    // A subject is one header line: a newline in a tenant's name must not break it.
    const subject = template.subject(view).replace(/\s+/g, ' ').trim();
    const text = this.textLayout({ brand, body: template.text(view) })
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    return {
      subject,
      html: this.htmlLayout({ subject, brand, bodyHtml: template.html(view) }),
      text: `${text}\n`,
    };
  }
}
