import { z } from 'zod';

/* Pure zod: the web app imports this module too. */

export const storeCalendarSchema = z
  .object({
    timeZone: z.string().meta({ description: 'The IANA time zone whose calendar days the store counts' }),
    today: z.iso.date().meta({ description: 'Today in that time zone (YYYY-MM-DD)' }),
  })
  .meta({ id: 'StoreCalendar' });
export type StoreCalendar = z.infer<typeof storeCalendarSchema>;
