import { describe, expect, it } from 'vitest';
import { redactSecretsInUrl } from './log-redaction.js';

describe('redactSecretsInUrl', () => {
  it('hides tokens in query strings and in the reset-password path, and leaves the rest', () => {
    expect(redactSecretsInUrl('/api/auth/verify-email?token=eyJabc&callbackURL=%2F')).toBe(
      '/api/auth/verify-email?token=%5Bredacted%5D&callbackURL=%2F',
    );
    expect(redactSecretsInUrl('/api/auth/reset-password/AbC123?callbackURL=%2Freset')).toBe(
      '/api/auth/reset-password/[redacted]?callbackURL=%2Freset',
    );
    expect(redactSecretsInUrl('/track?token=secret')).not.toContain('secret');
    expect(redactSecretsInUrl('/api/v1/products?lang=zh')).toBe('/api/v1/products?lang=zh');
    expect(redactSecretsInUrl('/api/v1/me')).toBe('/api/v1/me');
  });
});
