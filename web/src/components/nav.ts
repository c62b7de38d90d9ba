import type { ComponentType } from 'react';
import type { Role } from '../accounts.js';

/** A link of the header's navigation; each area of the app contributes its own. */
export type NavItem = {
  to: string;
  /** i18n key of its label. */
  key: string;
  current: (pathname: string) => boolean;
  /** Shown only to these roles; everyone when absent. */
  roles?: readonly Role[];
  /** Shown after the label: a count of what waits there. */
  Count?: ComponentType;
};
