import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { hashPassword } from 'better-auth/crypto';
import { eq } from 'drizzle-orm';
import { customerRecordFor } from '../../app/accounts/link-customer.js';
import {
  emailVerificationMessage,
  passwordResetMessage,
  signUpAttemptMessage,
} from '../../app/accounts/messages.js';
import { type MessageKey, sealLink } from '../../app/outbox/sealed-links.js';
import { type Config, trustedOrigins } from '../../config.js';
import type { Database } from '../../db/client.js';
import * as schema from '../../db/schema.js';

/** The header the bridge sets from the socket, replacing anything a client sent under that name. */
export const CLIENT_IP_HEADER = 'x-aftersales-client-ip';
export const AUTH_BASE_PATH = '/api/auth';
export const COOKIE_PREFIX = 'aftersales';
/** better-auth's defaults, stated: a session lasts a week and is extended at most once a day. */
export const SESSION_EXPIRES_IN_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

export type AuthDeps = { db: Database; config: Config; secret: string; messageKey: MessageKey };

/**
 * better-auth, configured once: e-mail + password on the shared Drizzle database, sessions in
 * HTTP-only SameSite=Lax cookies (Secure when PUBLIC_URL is https), and the role on the user where no
 * request can set it. Self sign-up makes a customer; every other role comes through an invitation.
 */
export function createAuth(deps: AuthDeps) {
  const { db, config } = deps;
  const origin = config.publicUrl.origin;
  const secure = config.publicUrl.protocol === 'https:';
  const audit = async (action: string, userId: string, data: Record<string, unknown> = {}) => {
    await db.insert(schema.auditEvents).values({
      actor: `user:${userId}`,
      action,
      entityType: 'user',
      entityId: userId,
      data,
    });
  };
  return betterAuth({
    appName: 'aftersales',
    baseURL: origin,
    basePath: AUTH_BASE_PATH,
    secret: deps.secret,
    trustedOrigins: trustedOrigins(config.publicUrl),
    telemetry: { enabled: false },
    logger: { disabled: config.logLevel === 'silent', level: 'error' },
    database: drizzleAdapter(db, { provider: 'pg', schema, usePlural: true }),
    // A password reset token is the verification row's identifier: stored as its SHA-256, so a reader
    // of the database cannot reset anyone's password with it. (E-mail confirmation tokens are JWTs
    // signed with AUTH_SECRET and stored nowhere.)
    verification: { storeIdentifier: 'hashed' },
    session: { expiresIn: SESSION_EXPIRES_IN_SECONDS, updateAge: SESSION_UPDATE_AGE_SECONDS },
    // Limits are Fastify's, per route and per client IP (see routes.ts); one mechanism, one setting.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure },
      // better-auth skips its origin check when NODE_ENV=test; the tests must see what production does.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: () => crypto.randomUUID() },
    },
    emailAndPassword: {
      enabled: true,
      // A customer account reads the purchases recorded under its e-mail address: proven first.
      requireEmailVerification: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
      /*
       * Sign-up answers an address that has an account exactly as a new one (better-auth does so when
       * verification is required, hashing the password either way); the new one is sent its
       * verification link, and the owner of the existing one hears that someone tried — one message
       * either way, so both take the same work.
       */
      onExistingUserSignUp: async ({ user }) => {
        await db.insert(schema.outbox).values(
          signUpAttemptMessage({
            email: user.email,
            name: user.name,
            signInLink: new URL('/sign-in', config.publicUrl).toString(),
            resetLink: new URL('/forgot-password', config.publicUrl).toString(),
          }),
        );
      },
      onPasswordReset: async ({ user }) => {
        await audit('user.password_reset', user.id);
      },
      sendResetPassword: async ({ user, url }) => {
        await db.insert(schema.outbox).values(
          passwordResetMessage({
            email: user.email,
            name: user.name,
            link: sealLink(deps.messageKey, { url, recipient: user.email }),
          }),
        );
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => {
        await db.insert(schema.outbox).values(
          emailVerificationMessage({
            email: user.email,
            name: user.name,
            link: sealLink(deps.messageKey, { url, recipient: user.email }),
          }),
        );
      },
    },
    user: {
      additionalFields: {
        // `input: false`: better-auth refuses these in a sign-up or update body; only our code sets them.
        role: { type: 'string', required: true, input: false, defaultValue: 'customer' },
        dealerId: { type: 'string', required: false, input: false },
        serviceCenterId: { type: 'string', required: false, input: false },
        oemClientId: { type: 'string', required: false, input: false },
        endUserId: { type: 'string', required: false, input: false },
        deactivatedAt: { type: 'date', required: false, input: false },
      },
    },
    /*
     * better-auth writes its rows through its own adapter, outside our use cases' transactions, so its
     * state changes are audited right after they are made (an `after` hook), each in its own write.
     */
    databaseHooks: {
      user: {
        update: {
          after: async (user) => {
            if (user.emailVerified) await audit('user.email_verified', user.id);
          },
        },
        create: {
          after: async (user) => {
            await audit('customer.signed_up', user.id);
          },
          // Invitations create their users in their own transaction; through better-auth come only
          // self sign-ups, and those are customers, whatever the request said.
          before: async (user) => {
            const endUserId = await customerRecordFor(db, { email: user.email, name: user.name });
            return {
              data: {
                ...user,
                role: 'customer',
                dealerId: null,
                serviceCenterId: null,
                oemClientId: null,
                endUserId,
                deactivatedAt: null,
              },
            };
          },
        },
      },
      account: {
        update: {
          // An account row changes when its password does. A reset updates it in bulk and hands over
          // a row count instead of the row; it is audited by onPasswordReset instead.
          after: async (account: unknown) => {
            const userId = (account as { userId?: unknown } | null)?.userId;
            if (typeof userId === 'string') await audit('user.password_changed', userId);
          },
        },
      },
      session: {
        create: {
          after: async (session) => {
            await audit('user.signed_in', session.userId, {
              ipAddress: session.ipAddress ?? null,
              userAgent: session.userAgent ?? null,
            });
          },
          before: async (session) => {
            const [user] = await db
              .select({ deactivatedAt: schema.users.deactivatedAt })
              .from(schema.users)
              .where(eq(schema.users.id, session.userId));
            if (!user || user.deactivatedAt) {
              throw new APIError('FORBIDDEN', {
                code: 'ACCOUNT_DEACTIVATED',
                message: 'this account is deactivated',
              });
            }
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** better-auth's own password hasher, for accounts made outside its endpoints (invitations, seed). */
export { hashPassword };
