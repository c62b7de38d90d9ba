import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createPolicyDraft } from '../../app/policies/create-policy-draft.js';
import { discardPolicyDraft } from '../../app/policies/discard-policy-draft.js';
import { editPolicyDraft } from '../../app/policies/edit-policy-draft.js';
import { listPolicyDrafts, policyDraftById } from '../../app/policies/policy-drafts.js';
import { publishPolicyDraft } from '../../app/policies/publish-policy-draft.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  closePolicyDraftRequestSchema,
  createPolicyDraftRequestSchema,
  editPolicyDraftRequestSchema,
  policyDraftSchema,
  publishedPolicyDraftSchema,
} from './draft-schemas.js';

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** Draft policy versions, admins only: written, edited, published or discarded; never in force. */
export const policyDraftRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({
    db: app.db.db,
    policies: app.policies,
    storeTimeZone: app.config.storeTimeZone,
    now: app.clock,
  });

  app.get(
    '/',
    {
      config: { access: 'policyDrafts.manage' },
      schema: {
        tags: ['admin'],
        summary: 'The open draft policy versions, newest first',
        response: { 200: z.array(policyDraftSchema), 401: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (request) => listPolicyDrafts(deps(), currentActor(request)),
  );

  app.post(
    '/',
    {
      config: { access: 'policyDrafts.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Start a draft policy version',
        description:
          'A draft decides nothing until it is published. Its document is checked against the policy schema ' +
          'now; its id and effective date when it is published.',
        body: createPolicyDraftRequestSchema,
        response: { 201: policyDraftSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPolicyDraft(deps(), currentActor(request), request.body)),
  );

  app.get(
    '/:id',
    {
      config: { access: 'policyDrafts.manage' },
      schema: {
        tags: ['admin'],
        summary: 'One draft policy version (open or closed)',
        params,
        response: {
          200: policyDraftSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
        },
      },
    },
    async (request) => policyDraftById(deps(), currentActor(request), request.params.id),
  );

  app.put(
    '/:id',
    {
      config: { access: 'policyDrafts.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Replace an open draft’s document',
        description:
          '409 VERSION_CONFLICT when someone changed it since `version`; 409 POLICY_DRAFT_CLOSED once published or discarded.',
        params,
        body: editPolicyDraftRequestSchema,
        response: { 200: policyDraftSchema, ...errors },
      },
    },
    async (request) => editPolicyDraft(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/publish',
    {
      config: { access: 'policyDrafts.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Publish a draft: it becomes a policy version in force from its effective date',
        description:
          'As POST /api/v1/policies: the effective date must be after today (400 EFFECTIVE_FROM_NOT_IN_FUTURE), ' +
          'the id and the day unused (409 POLICY_VERSION_EXISTS, POLICY_EFFECTIVE_FROM_TAKEN). Of two ' +
          'publishes at once, one wins; the other gets 409 POLICY_DRAFT_CLOSED.',
        params,
        body: closePolicyDraftRequestSchema,
        response: { 201: publishedPolicyDraftSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await publishPolicyDraft(deps(), currentActor(request), request.params.id, request.body)),
  );

  app.post(
    '/:id/discard',
    {
      config: { access: 'policyDrafts.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Discard an open draft (kept, closed, as history)',
        params,
        body: closePolicyDraftRequestSchema,
        response: { 200: policyDraftSchema, ...errors },
      },
    },
    async (request) => discardPolicyDraft(deps(), currentActor(request), request.params.id, request.body),
  );
};
