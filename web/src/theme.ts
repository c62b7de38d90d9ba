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
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9] },
  dark: {},
});
