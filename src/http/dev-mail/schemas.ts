import { z } from 'zod';
import { caughtMailSorts } from '../../app/lists/sorts.js';
import { listFilterSchema, pageQueryShape } from '../list-query.js';

/* Pure zod: the web app imports this module too. */

export const caughtMailSummarySchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    topic: z.string().describe('What the message is, e.g. account.email_verification'),
    recipient: z.string().describe('The e-mail address it would have gone to'),
    subject: z.string(),
    hasLink: z.boolean().describe('Whether it carries a link that acts for its recipient'),
  })
  .meta({ id: 'CaughtMailSummary' });
export type CaughtMailSummary = z.infer<typeof caughtMailSummarySchema>;

export const caughtMailSchema = caughtMailSummarySchema
  .extend({
    text: z.string().describe('The whole e-mail text, its link opened: a real, single-use link'),
    links: z.array(z.string()).describe('The links of the text that lead to this server, in order'),
    linkError: z
      .string()
      .nullable()
      .describe('Why the link did not open (sealed with another key); the text then shows it cut'),
  })
  .meta({ id: 'CaughtMail' });
export type CaughtMail = z.infer<typeof caughtMailSchema>;

export const caughtMailListQuerySchema = listFilterSchema(
  caughtMailSorts,
  { sort: 'createdAt', order: 'desc' },
  {},
)
  .extend(pageQueryShape)
  .strict();
