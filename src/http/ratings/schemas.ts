import { z } from 'zod';
import { MAX_RATING_COMMENT, ratingSubjects } from '../../db/schema.js';

/*
 * The public rating page (web/src/insight/rating) reads and sends these.
 */

const token = z.string().min(20).max(128).describe('The token of the rating link');

export const openRatingRequestSchema = z.object({ token }).strict();

export const submitRatingRequestSchema = z
  .object({
    token,
    score: z.number().int().min(1).max(5).describe('1 (poor) to 5 (excellent)'),
    comment: z.string().max(MAX_RATING_COMMENT).optional(),
  })
  .strict();

export const ratingInvitationSchema = z.object({
  subject: z.enum(ratingSubjects),
  maintenanceNumber: z.string().nullable(),
  center: z.object({ en: z.string(), zh: z.string() }).nullable(),
  dealer: z.string().nullable(),
  expiresAt: z.iso.datetime(),
});

export const ratingSubmittedSchema = z.object({ rated: z.literal(true) });
