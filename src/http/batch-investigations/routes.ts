import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachInvestigationEvidence } from '../../app/oem/attach-investigation-evidence.js';
import { moveInvestigation } from '../../app/oem/move-investigation.js';
import { openInvestigation, proposeInvestigation } from '../../app/oem/open-investigation.js';
import { getInvestigation, listInvestigations } from '../../app/oem/read-investigations.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  attachEvidenceRequestSchema,
  investigationSchema,
  listInvestigationsQuerySchema,
  moveInvestigationRequestSchema,
  openInvestigationRequestSchema,
  proposeInvestigationRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** Batch-defect investigations: QA opens them (or a flag proposes them), gathers evidence, decides. */
export const batchInvestigationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => oemDeps(app);

  app.get(
    '/',
    {
      config: { access: 'batchInvestigations.read' },
      schema: {
        tags: ['quality'],
        summary: 'Batch-defect investigations, newest first',
        querystring: listInvestigationsQuerySchema,
        response: { 200: z.array(investigationSchema), ...errors },
      },
    },
    async (request) => listInvestigations(deps(), currentActor(request), request.query),
  );

  app.post(
    '/',
    {
      config: { access: 'batchInvestigations.manage' },
      schema: {
        tags: ['quality'],
        summary: 'Open an investigation over one or more lots of one product',
        description:
          'Each lot must have shipped on an order of the product (400 UNKNOWN_LOT) and not be under another investigation (409 LOT_UNDER_INVESTIGATION).',
        body: openInvestigationRequestSchema,
        response: { 201: investigationSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await openInvestigation(deps(), currentActor(request), request.body)),
  );

  app.post(
    '/proposals',
    {
      config: { access: 'batchInvestigations.manage' },
      schema: {
        tags: ['quality'],
        summary: 'Turn an early-warning flag into a proposed investigation, with the numbers behind it',
        description: 'A lot that is not flagged is 409 LOT_NOT_FLAGGED with its numbers in `details`.',
        body: proposeInvestigationRequestSchema,
        response: { 201: investigationSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await proposeInvestigation(deps(), currentActor(request), request.body)),
  );

  app.get(
    '/:id',
    {
      config: { access: 'batchInvestigations.read' },
      schema: {
        tags: ['quality'],
        summary: 'One investigation, with its evidence, allowed moves and remake orders',
        params: idParams,
        response: { 200: investigationSchema, ...errors },
      },
    },
    async (request) => getInvestigation(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/evidence',
    {
      config: { access: 'batchInvestigations.manage' },
      schema: {
        tags: ['quality'],
        summary: 'Attach evidence files (from POST /api/v1/uploads?kind=evidence)',
        params: idParams,
        body: attachEvidenceRequestSchema,
        response: { 200: investigationSchema, ...errors },
      },
    },
    async (request) =>
      attachInvestigationEvidence(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/transitions',
    {
      config: { access: 'batchInvestigations.manage' },
      schema: {
        tags: ['quality'],
        summary: 'Move the investigation: open, confirm (root cause and costs), dismiss (findings), close',
        description:
          'States: proposed → open | dismissed; open → confirmed | dismissed; confirmed → closed. An illegal move is 409 ILLEGAL_TRANSITION with `details.allowed`. Confirming needs evidence and a root cause the policy covers (production or electrical; other is 409 ROOT_CAUSE_NOT_COVERED) and the costs: it makes a remake order per client order and lot, shipped by air, with every cost on the maker’s ledger, and those units leave the clients’ spares.',
        params: idParams,
        body: moveInvestigationRequestSchema,
        response: { 200: investigationSchema, ...errors },
      },
    },
    async (request) => moveInvestigation(deps(), currentActor(request), request.params.id, request.body),
  );
};
