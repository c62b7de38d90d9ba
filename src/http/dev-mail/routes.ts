import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listCaughtMail, readCaughtMail } from '../../app/outbox/read-caught-mail.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { pageSchema } from '../list-query.js';
import { caughtMailListQuerySchema, caughtMailSchema, caughtMailSummarySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

const off =
  'Only where the mail catcher is on: no SMTP_URL, and the embedded database or MAIL_CATCHER=true. ' +
  'Elsewhere 404 MAIL_CATCHER_OFF: mail really leaves, or nobody asked to keep it.';

/** The development mail catcher: what a server without a mail server would have e-mailed. */
export const devMailRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({
    db: app.db.db,
    messageKey: app.messageKey,
    enabled: app.mailCatcher,
    publicOrigin: app.config.publicUrl.origin,
  });

  app.get(
    '/',
    {
      config: { access: 'devMail.read' },
      schema: {
        tags: ['messages'],
        summary: 'The e-mail this server would have sent, newest first (development mail catcher; admins)',
        description: `${off} The list shows no text; \`q\` matches the recipient and the subject.`,
        querystring: caughtMailListQuerySchema,
        response: { 200: pageSchema(caughtMailSummarySchema, 'CaughtMailPage'), ...errors },
      },
    },
    async (request) => listCaughtMail(deps(), currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'devMail.read' },
      schema: {
        tags: ['messages'],
        summary: 'One caught e-mail, whole, with its real link (audited: dev_mail.read)',
        description: `${off} The link acts for the recipient (it may confirm an address or reset a password): who read it is audited.`,
        params: idParams,
        response: { 200: caughtMailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const mail = await readCaughtMail(deps(), currentActor(request), request.params.id);
      // A live link: no browser or proxy keeps a copy.
      void reply.header('cache-control', 'no-store');
      return mail;
    },
  );
};
