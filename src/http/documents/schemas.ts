import { z } from 'zod';
import { documentSettingsSchema as settings } from '../../domain/documents/settings.js';

/* Pure zod: the web app imports this module too. */

export const documentSettingsSchema = settings.meta({ id: 'DocumentSettings' });
export type { DocumentSettings } from '../../domain/documents/settings.js';

export const trackingLabelRequestSchema = z
  .object({ token: z.string().min(20).max(128).describe('The token of the tracking link') })
  .strict();
