import { type CSSVariablesResolver, createTheme } from '@mantine/core';

const fontStack = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  // Chinese: the platform's own fonts first, then Noto CJK (Debian's fonts-noto-cjk).
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  '"Noto Sans SC"',
  'sans-serif',
].join(', ');

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 keeps white text on buttons and blue links on white above WCAG AA contrast.
  primaryShade: 8,
  fontFamily: fontStack,
  headings: { fontFamily: fontStack, fontWeight: '700' },
  defaultRadius: 'md',
});

/**
 * Mantine's "dimmed" grey is below 4.5:1 on white, and its error red at shade 8 just under it for a
 * field's small error text; secondary and error text here stay readable.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-error': t.colors.red[9],
    ...lightVariantBackgrounds(t.colors),
  },
  dark: {},
});

/**
 * The "light" variant (a list's Find button, light badges) writes shade 9 on shade 1, and on shade 2 when
 * hovered: 4.0:1 for blue, below WCAG AA. One shade lighter each keeps the hover visible and the text
 * readable (blue: 5.5:1 at rest, 4.9:1 hovered; test/e2e checks the hovered Find button with axe).
 */
function lightVariantBackgrounds(colors: Record<string, readonly string[]>): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const name of Object.keys(colors)) {
    variables[`--mantine-color-${name}-light`] = `var(--mantine-color-${name}-0)`;
    variables[`--mantine-color-${name}-light-hover`] = `var(--mantine-color-${name}-1)`;
  }
  return variables;
}
