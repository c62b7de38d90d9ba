import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readAuditEvents } from '../../app/audit-log/read-audit-events.js';
import { claimContext, orderContext } from '../../app/customer-context/read-context.js';
import { changeOwner, eligibleOwners } from '../../app/ownership/change-owner.js';
import type { Action } from '../../domain/access/access.js';
import type { OwnedKind } from '../../domain/ownership/ownership.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  assignRequestSchema,
  auditEventPageSchema,
  auditEventsQuerySchema,
  customerContextSchema,
  eligibleOwnersSchema,
  ownershipSchema,
  releaseRequestSchema,
  takeRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};
const changeErrors = { ...errors, 409: errorResponseSchema, 422: errorResponseSchema };

/**
 * Registered under /api/v1 (issue 15): who works a claim or an order, the customer behind it, and the
 * audit log. Who may: the access table's `claims.own`, `maintenanceOrders.own`, `*.context` and
 * `auditEvents.read`; which object: the use case, on the row it locks or loads.
 */
export const ownershipRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db });

  const owned: { kind: OwnedKind; base: string; access: Action; tag: string; noun: string }[] = [
    { kind: 'claim', base: '/claims/:id', access: 'claims.own', tag: 'claims', noun: 'claim' },
    {
      kind: 'maintenance_order',
      base: '/maintenance-orders/:id',
      access: 'maintenanceOrders.own',
      tag: 'maintenance',
      noun: 'maintenance order',
    },
  ];

  for (const { kind, base, access, tag, noun } of owned) {
    app.post(
      `${base}/take`,
      {
        config: { access },
        schema: {
          tags: [tag],
          summary: `Take the ${noun}: the caller works it from now on`,
          description:
            '409 OWNED_BY_ANOTHER (details.owner) when someone else works it, unless `reassign: true`; 422 MAY_NOT_OWN when the caller may not work it.',
          params: idParams,
          body: takeRequestSchema,
          response: { 200: ownershipSchema, ...changeErrors },
        },
      },
      async (request) =>
        changeOwner(deps(), currentActor(request), kind, request.params.id, {
          kind: 'take',
          reassign: request.body.reassign,
        }),
    );

    app.post(
      `${base}/assign`,
      {
        config: { access },
        schema: {
          tags: [tag],
          summary: `Give the ${noun} to a colleague`,
          description:
            kind === 'claim'
              ? 'To a support user. 422 ASSIGNEE_NOT_ELIGIBLE for anyone else; 409 OWNED_BY_ANOTHER when someone else works it, unless `reassign: true`.'
              : 'To support or a technician of the order’s own center. 422 ASSIGNEE_NOT_ELIGIBLE for anyone else; 409 OWNED_BY_ANOTHER when someone else works it, unless `reassign: true`.',
          params: idParams,
          body: assignRequestSchema,
          response: { 200: ownershipSchema, ...changeErrors },
        },
      },
      async (request) =>
        changeOwner(deps(), currentActor(request), kind, request.params.id, {
          kind: 'assign',
          to: request.body.userId,
          reassign: request.body.reassign,
        }),
    );

    app.post(
      `${base}/release`,
      {
        config: { access },
        schema: {
          tags: [tag],
          summary: `Release the ${noun}: nobody works it`,
          description: 'Releasing what someone else works is 409 OWNED_BY_ANOTHER, unless `reassign: true`.',
          params: idParams,
          body: releaseRequestSchema,
          response: { 200: ownershipSchema, ...changeErrors },
        },
      },
      async (request) =>
        changeOwner(deps(), currentActor(request), kind, request.params.id, {
          kind: 'release',
          reassign: request.body.reassign,
        }),
    );

    app.get(
      `${base}/assignees`,
      {
        config: { access },
        schema: {
          tags: [tag],
          summary: `The people the ${noun} may be given to`,
          params: idParams,
          response: { 200: eligibleOwnersSchema, ...errors },
        },
      },
      async (request) => eligibleOwners(deps(), currentActor(request), kind, request.params.id),
    );
  }

  app.get(
    '/claims/:id/context',
    {
      config: { access: 'claims.context' },
      schema: {
        tags: ['claims'],
        summary:
          'The claim’s customer: contact, other purchases and claims, linked orders and quotes, history',
        description:
          'A dealer sees only its own sales and the claims on them; the history’s details are staff only.',
        params: idParams,
        response: { 200: customerContextSchema, ...errors },
      },
    },
    async (request) => claimContext(deps(), currentActor(request), request.params.id),
  );

  app.get(
    '/maintenance-orders/:id/context',
    {
      config: { access: 'maintenanceOrders.context' },
      schema: {
        tags: ['maintenance'],
        summary:
          'The order’s customer: contact, other purchases and claims, linked orders and quotes, history',
        description:
          'A technician sees only what went through its own center; the history’s details are staff only.',
        params: idParams,
        response: { 200: customerContextSchema, ...errors },
      },
    },
    async (request) => orderContext(deps(), currentActor(request), request.params.id),
  );

  app.get(
    '/audit-events',
    {
      config: { access: 'auditEvents.read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, filtered and paged by cursor',
        description:
          '`limit` + `cursor` (the previous answer’s `nextCursor`); a malformed cursor is 400 INVALID_CURSOR. `from`/`to` are calendar days in the store’s time zone, inclusive.',
        querystring: auditEventsQuerySchema,
        response: { 200: auditEventPageSchema, ...errors },
      },
    },
    async (request) =>
      readAuditEvents(
        { db: app.db.db, storeTimeZone: app.config.storeTimeZone },
        currentActor(request),
        request.query,
      ),
  );
};
