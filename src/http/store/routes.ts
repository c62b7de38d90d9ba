import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { calendarDateIn } from '../../domain/calendar.js';
import { storeCalendarSchema } from './schemas.js';

/**
 * The store's calendar, for screens: every date a page shows or defaults is a day in this time zone
 * (STORE_TIME_ZONE), not in the reader's browser, so two screens never disagree about the same moment.
 */
export const storeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/calendar',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies'],
        summary: 'The store’s time zone and today’s date in it',
        response: { 200: storeCalendarSchema },
      },
    },
    async () => ({
      timeZone: app.config.storeTimeZone,
      today: calendarDateIn(app.clock(), app.config.storeTimeZone).toString(),
    }),
  );
};
