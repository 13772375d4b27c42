import type { TenantBranding } from './mail.types';

export const DEFAULT_PRIMARY_COLOR = '#2563eb';

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const DARK_TEXT_COLOR = '#18181b';
const LIGHT_TEXT_COLOR = '#ffffff';
/* Below this relative luminance white text contrasts better than near-black text (WCAG 2 contrast ratio). */
const WHITE_TEXT_LUMINANCE_LIMIT = 0.179;

/** Branding of a tenant that has not set its own. */
export function defaultBranding(tenantName: string): TenantBranding {
  return { displayName: tenantName, primaryColor: DEFAULT_PRIMARY_COLOR, fromName: tenantName };
}

/** Branding as the templates may use it: every value checked, so a bad stored value cannot inject CSS or a link. */
export interface DisplayBranding {
  displayName: string;
  logoUrl?: string;
  primaryColor: string;
  /** Text colour readable on `primaryColor`. */
  buttonTextColor: string;
  supportUrl?: string;
}

export function displayBrandingOf(branding: TenantBranding): DisplayBranding {
  const primaryColor = HEX_COLOR.test(branding.primaryColor) ? branding.primaryColor : DEFAULT_PRIMARY_COLOR;
  return {
    displayName: branding.displayName,
    logoUrl: httpsUrlOrUndefined(branding.logoUrl),
    primaryColor,
    buttonTextColor:
      relativeLuminance(primaryColor) < WHITE_TEXT_LUMINANCE_LIMIT ? LIGHT_TEXT_COLOR : DARK_TEXT_COLOR,
    supportUrl: httpsUrlOrUndefined(branding.supportUrl),
  };
}

/** The URL, normalised, when it is an absolute https URL; otherwise undefined (drops `javascript:`, `data:`, `http:`). */
export function httpsUrlOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'https:' ? url.href : undefined;
}

function relativeLuminance(hexColor: string): number {
  const [red, green, blue] = [1, 3, 5].map((offset) => {
    const channel = parseInt(hexColor.slice(offset, offset + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}
