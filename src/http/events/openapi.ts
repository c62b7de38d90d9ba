import { eventCatalogue, eventTypes } from '../../app/events/types.js';
import { eventSchemaId } from './schemas.js';

/**
 * OpenAPI 3.1's `webhooks`: one entry per event type, the request this API makes to a subscribed
 * endpoint, whose body is that event's envelope with its object (components `…Event`, made from the
 * same zod schemas as the API's answers). The same events are polled at GET /api/v1/events.
 */
export function eventWebhooks() {
  return Object.fromEntries(
    eventTypes.map((type) => [
      type,
      {
        post: {
          tags: ['events'] as string[],
          summary: eventCatalogue[type].summary,
          operationId: `event_${type.replace('.', '_')}`,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${eventSchemaId(type)}` } },
            },
          },
          responses: {
            '2XX': {
              description: 'Received. Deduplicate by the event’s `id`: an event may come more than once.',
            },
          },
        },
      },
    ]),
  );
}
