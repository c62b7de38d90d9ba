import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readFourEyesThresholds, setFourEyesThresholds } from '../../app/approvals/four-eyes-settings.js';
import { readRiskSettings, updateRiskSettings } from '../../app/risk/risk-settings.js';
import { readWarrantyCostSettings, setWarrantyCostSettings } from '../../app/insight/cost/cost-settings.js';
import { warrantyCostSettingsSchema } from '../parts/schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { fourEyesSettingsSchema, riskSettingsBodySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/**
 * The settings room: what an admin sets for the whole instance that decides when money waits for a
 * person. Each setting is one row read, locked and stored the same way (app/settings/instance-settings),
 * every change audited with what it replaced.
 */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/four-eyes',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'The four-eyes thresholds per currency',
        response: { 200: fourEyesSettingsSchema, ...errors },
      },
    },
    async (request) => ({ thresholds: await readFourEyesThresholds(app.db.db, currentActor(request)) }),
  );

  app.put(
    '/four-eyes',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Set the four-eyes thresholds (admins; audited)',
        body: fourEyesSettingsSchema,
        response: { 200: fourEyesSettingsSchema, ...errors },
      },
    },
    async (request) => ({
      thresholds: await setFourEyesThresholds(app.db.db, currentActor(request), request.body.thresholds),
    }),
  );

  app.get(
    '/risk',
    {
      config: { access: 'riskSettings.read' },
      schema: {
        tags: ['settings'],
        summary: 'The fraud signals’ thresholds in force (the documented defaults until an admin sets them)',
        response: { 200: riskSettingsBodySchema, ...errors },
      },
    },
    async () => readRiskSettings(app.db.db),
  );

  app.put(
    '/risk',
    {
      config: { access: 'riskSettings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Set every fraud threshold at once (admins; audited with what it replaced)',
        body: riskSettingsBodySchema,
        response: { 200: riskSettingsBodySchema, ...errors },
      },
    },
    async (request) => updateRiskSettings({ db: app.db.db }, currentActor(request), request.body),
  );
  app.get(
    '/warranty-cost',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary:
          'The maker’s currency and the labour rate of a repair per hour (default CNY, 120.00 an hour)',
        response: { 200: warrantyCostSettingsSchema, ...errors },
      },
    },
    async (request) => readWarrantyCostSettings(app.db.db, currentActor(request)),
  );

  app.put(
    '/warranty-cost',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary: 'Set the maker’s currency and the labour rate (admins; audited with what it replaced)',
        body: warrantyCostSettingsSchema,
        response: { 200: warrantyCostSettingsSchema, ...errors },
      },
    },
    async (request) => setWarrantyCostSettings(app.db.db, currentActor(request), request.body),
  );
};
