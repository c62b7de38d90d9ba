import type { FastifyInstance } from 'fastify';
import { webhookDispatcher, type WebhookDispatcher } from '../../app/webhooks/dispatch-webhooks.js';
import { httpWebhookSender } from '../../app/webhooks/sender.js';
import { startIntervalJob } from '../interval-job.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's webhook dispatcher (app/webhooks/dispatch-webhooks.ts), run by the interval job. */
    webhooks: WebhookDispatcher;
  }
}

/**
 * Every process runs the webhook dispatcher on an interval. A run fans new events out and starts the
 * due attempts without waiting for them, so a hanging receiver never holds the job, a request or another
 * endpoint; closing the server waits for the attempts in flight (each bounded by its timeout).
 */
export function startWebhookDispatcher(app: FastifyInstance): void {
  const config = app.config;
  const dispatcher = webhookDispatcher(
    {
      db: app.db.db,
      now: app.clock,
      messageKey: app.messageKey,
      sender: httpWebhookSender({
        allowPrivate: config.webhooksAllowPrivate,
        timeoutMs: config.webhookTimeoutSeconds * 1000,
      }),
    },
    { concurrency: config.webhookConcurrency, timeoutMs: config.webhookTimeoutSeconds * 1000 },
  );
  app.decorate('webhooks', dispatcher);
  startIntervalJob(app, {
    name: 'webhooks',
    intervalMs: config.webhookIntervalSeconds * 1000,
    run: async () => {
      const result = await dispatcher.run();
      if (result.started > 0) app.log.debug(result, 'webhook attempts started');
    },
  });
  app.addHook('onClose', async () => {
    dispatcher.stop();
    await dispatcher.idle();
  });
}
