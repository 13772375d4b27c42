/** The app's pages that mails link to, built on the public URL with every query value encoded. */
export class MailLinks {
  private readonly publicUrl: string;

  constructor(publicUrl: string) {
    this.publicUrl = publicUrl.replace(/\/+$/, '');
  }

  login(tenantSlug: string): string {
    return this.page('/login', { tenant: tenantSlug });
  }

  acceptInvitation(token: string, tenantSlug: string): string {
    return this.page('/invitations/accept', { token, tenant: tenantSlug });
  }

  resetPassword(token: string, tenantSlug: string): string {
    return this.page('/password/reset', { token, tenant: tenantSlug });
  }

  forgotPassword(tenantSlug: string): string {
    return this.page('/password/forgot', { tenant: tenantSlug });
  }

  verifyEmail(token: string, tenantSlug: string): string {
    return this.page('/email/verify', { token, tenant: tenantSlug });
  }

  billingSettings(tenantSlug: string): string {
    return this.page('/settings/billing', { tenant: tenantSlug });
  }

  private page(path: string, query: Record<string, string>): string {
    return `${this.publicUrl}${path}?${new URLSearchParams(query).toString()}`;
  }
}
