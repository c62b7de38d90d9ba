import type { NewOutboxMessage } from '../../db/schema.js';
import type { InvitableRole } from '../../domain/access/access.js';
import type { SealedLink } from '../outbox/sealed-links.js';

/*
 * Messages to people are rows in the outbox, written by the use case that causes them; a dispatcher
 * (SMTP when configured) sends them later. The link each carries acts for its recipient, so the row
 * shows it without its secret and keeps it sealed beside the body (app/outbox/sealed-links.ts).
 */

const roleNames: Record<InvitableRole, { en: string; zh: string }> = {
  admin: { en: 'administrator', zh: '管理员' },
  support: { en: 'support agent', zh: '客服' },
  qa: { en: 'quality assurance', zh: '质量管理' },
  sales: { en: 'sales', zh: '销售' },
  dealer: { en: 'dealer', zh: '经销商' },
  technician: { en: 'technician', zh: '维修技术员' },
  oem: { en: 'OEM client', zh: 'OEM 客户' },
};

export function invitationMessage(input: {
  invitationId: string;
  email: string;
  role: InvitableRole;
  link: SealedLink;
  expiresAt: Date;
}): NewOutboxMessage {
  const role = roleNames[input.role];
  const until = input.expiresAt.toISOString();
  return {
    topic: 'account.invitation',
    recipient: input.email,
    subject: 'Your invitation to Halotek after-sales service / Halotek 售后服务平台邀请',
    body:
      `You are invited to join Halotek after-sales service as ${role.en}.\n` +
      `Choose your name and password here (the link works once, until ${until}):\n${input.link.shown}\n\n` +
      `您受邀以${role.zh}身份加入 Halotek 售后服务平台。请通过以下链接设置姓名和密码（仅可使用一次，有效期至 ${until}）：\n${input.link.shown}\n`,
    sealedLink: input.link.sealed,
    payload: { invitationId: input.invitationId, role: input.role },
  };
}

export function passwordResetMessage(input: {
  email: string;
  name: string;
  link: SealedLink;
}): NewOutboxMessage {
  return {
    topic: 'account.password_reset',
    recipient: input.email,
    subject: 'Reset your password / 重置密码',
    body:
      `Hello ${input.name},\nsomeone asked to reset your password. If it was you, choose a new one here:\n${input.link.shown}\n` +
      `If it was not you, ignore this message; your password stays as it is.\n\n` +
      `您好，${input.name}：\n有人申请重置您的密码。如果是您本人，请通过以下链接设置新密码：\n${input.link.shown}\n如果不是您本人，请忽略此邮件。\n`,
    sealedLink: input.link.sealed,
    payload: {},
  };
}

export function emailVerificationMessage(input: {
  email: string;
  name: string;
  link: SealedLink;
}): NewOutboxMessage {
  return {
    topic: 'account.email_verification',
    recipient: input.email,
    subject: 'Confirm your e-mail address / 确认您的邮箱',
    body:
      `Hello ${input.name},\nconfirm your e-mail address to see your purchases and claims:\n${input.link.shown}\n\n` +
      `您好，${input.name}：\n请确认您的邮箱地址，以便查看您的购买记录和服务申请：\n${input.link.shown}\n`,
    sealedLink: input.link.sealed,
    payload: {},
  };
}

/** The owner of an address whose sign-in ceiling closed: strangers are guessing the password. */
export function signInCeilingMessage(input: {
  email: string;
  name: string;
  failures: number;
  withinMinutes: number;
  resetLink: string;
}): NewOutboxMessage {
  return {
    topic: 'account.sign_in_attack',
    recipient: input.email,
    subject: 'Many wrong passwords for your account / 您的账号多次密码错误',
    body:
      `Hello ${input.name},\nthere were ${input.failures} wrong passwords for your account within ${input.withinMinutes} minutes, ` +
      `so sign-in from new devices is paused for a while. Devices you have signed in from before still work.\n` +
      `If this was not you, someone may be guessing your password: choose a long one that you use nowhere else:\n${input.resetLink}\n\n` +
      `您好，${input.name}：\n您的账号在 ${input.withinMinutes} 分钟内有 ${input.failures} 次密码错误，新设备的登录已暂停一段时间；您以前登录过的设备不受影响。\n` +
      `如果不是您本人，可能有人在猜测您的密码，请设置一个在其他地方未使用过的长密码：\n${input.resetLink}\n`,
    payload: {},
  };
}

/**
 * Someone tried to sign up with an address that already has an account. Sign-up answers the same
 * either way (so it tells nobody which addresses have accounts); the owner hears of it here instead.
 */
export function signUpAttemptMessage(input: {
  email: string;
  name: string;
  signInLink: string;
  resetLink: string;
}): NewOutboxMessage {
  return {
    topic: 'account.sign_up_existing',
    recipient: input.email,
    subject: 'You already have an account / 您已有账号',
    body:
      `Hello ${input.name},\nsomeone asked to sign up with this address, which already has an account. ` +
      `If it was you, sign in here:\n${input.signInLink}\nForgot your password? Choose a new one here:\n${input.resetLink}\n` +
      `If it was not you, ignore this message; nothing has changed.\n\n` +
      `您好，${input.name}：\n有人使用此邮箱申请注册，但该邮箱已有账号。如果是您本人，请在此登录：\n${input.signInLink}\n忘记密码？请在此设置新密码：\n${input.resetLink}\n如果不是您本人，请忽略此邮件，您的账号没有任何变化。\n`,
    payload: {},
  };
}
