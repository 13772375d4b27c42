import { API_KEY_PRODUCT_PREFIX, looksLikeApiKey, newApiKey, parseApiKey } from './api-key-format';

describe('API key format', () => {
  it('makes keys of a product prefix, a visible random part and a 256-bit base64url secret', () => {
    const { key, prefix, secret } = newApiKey();
    expect(prefix).toMatch(/^stk_[0-9a-f]{12}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(key).toBe(`${prefix}_${secret}`);
    expect(newApiKey().key).not.toBe(key);
  });

  it('parses every key it makes back into its parts, underscores in the secret included', () => {
    for (let i = 0; i < 200; i++) {
      const made = newApiKey();
      expect(parseApiKey(made.key)).toEqual({ prefix: made.prefix, secret: made.secret });
    }
    const withUnderscores = `stk_0123456789ab_${'_'.repeat(42)}A`;
    expect(parseApiKey(withUnderscores)).toEqual({
      prefix: 'stk_0123456789ab',
      secret: `${'_'.repeat(42)}A`,
    });
  });

  it('refuses anything else', () => {
    const { key, prefix, secret } = newApiKey();
    for (const token of [
      '',
      prefix,
      `${prefix}_`,
      `${key}x`,
      key.slice(0, -1),
      `${prefix.toUpperCase()}_${secret}`,
      `sk_${prefix.slice(4)}_${secret}`,
      `${prefix}-${secret}`,
      `${prefix}_${secret.slice(0, -1)}B`,
      ` ${key}`,
    ]) {
      expect(parseApiKey(token)).toBeUndefined();
    }
  });

  it('tells API keys from access tokens by their prefix', () => {
    expect(looksLikeApiKey(newApiKey().key)).toBe(true);
    expect(looksLikeApiKey(`${API_KEY_PRODUCT_PREFIX}garbage`)).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(false);
  });
});
