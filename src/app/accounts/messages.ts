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
