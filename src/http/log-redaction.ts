/**
 * Query parameters that carry a secret: better-auth's e-mail verification and password reset links
 * (`token`), our invitation and guest links. An access log must not become a list of working links.
 */
const SECRET_PARAMS = ['token', 'code', 'password'];

export function redactSecretsInUrl(url: string): string {
  const question = url.indexOf('?');
  // better-auth also puts a reset token in the path: /api/auth/reset-password/<token>.
  const pathPart = (question < 0 ? url : url.slice(0, question)).replace(
    /^(\/api\/auth\/reset-password\/)[^/?#]+/,
    '$1[redacted]',
  );
  if (question < 0) return pathPart;
  const params = new URLSearchParams(url.slice(question + 1));
  for (const name of SECRET_PARAMS) {
    if (params.has(name)) params.set(name, '[redacted]');
  }
  return `${pathPart}?${params.toString()}`;
}
