/**
 * The production Content-Security-Policy, shared by the built index.html (meta tag injected by Vite) and the
 * app:// protocol handler (response header), so the two cannot drift.
 *
 * Everything starts from 'none' and only same-origin bundles are allowed back in: the renderer displays
 * attacker-controlled export data, so an injected <script>, inline handler, remote image beacon or eval must
 * all fail closed. `data:` images stay allowed because charts and icons are rendered as data URLs.
 */
export const CSP_DIRECTIVES = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
] as const;

export const CONTENT_SECURITY_POLICY: string = CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/**
 * The same policy for a `<meta http-equiv>` tag. Browsers ignore `frame-ancestors` there and log a console
 * warning for it, so it is left out; the app:// response header still carries the full policy.
 */
export const CONTENT_SECURITY_POLICY_META: string = CSP_DIRECTIVES.filter(([name]) => name !== 'frame-ancestors')
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');
