import type { InvitableRole } from '../../domain/access/access.js';
import type { ShipmentKind, ShippingMode } from '../../domain/oem/shipment.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import type { RiskSubjectKind } from '../../domain/risk/signals.js';
import type { AppliedCredit, Catalogue, Decision, DealerRemedyKind, ExcessChoice, Mail } from './en.js';

/*
 * The server's Chinese words: the twin of every entry in en.ts, taking the same facts (`satisfies
 * Catalogue` makes a missing, extra or differently typed entry a type error). Written as Chinese
 * readers expect it, not word for word: a name comes before 您好, a date before the verb.
 */

const roles: Record<InvitableRole, string> = {
  admin: '管理员',
  support: '客服',
  qa: '质量管理',
  sales: '销售',
  dealer: '经销商',
  technician: '维修技术员',
  oem: 'OEM 客户',
};

const remedyKinds: Record<DealerRemedyKind, string> = { refund: '退款', replacement: '换货' };

const shippingModes: Record<ShippingMode, string> = { air: '空运', sea: '海运', road: '陆运' };

const reimbursementDecisions: Record<Decision, string> = { approved: '已批准', rejected: '未批准' };

const refundDecisions: Record<Decision, string> = { approved: '已批准', rejected: '未获批准' };

const riskSubjects: Record<RiskSubjectKind, string> = {
  claim: '一条报修',
  reimbursement: '一笔经销商补偿',
  excess_resolution: '一笔 OEM 抵扣',
};

const shipments = (what: ShipmentKind, number: string) =>
  what === 'remake' ? `重新生产订单 ${number}` : `换货发运 ${number}`;

const nextSteps: Record<RemedyCode, (where: string) => string> = {
  refund: (where) => `您选择了全额退款。请携带产品和购买凭证前往${where}办理。`,
  replacement: (where) => `您选择了更换同型号新品。请携带产品和购买凭证前往${where}办理。`,
  maintenance_order: () =>
    '您选择了维修单。下一步：我们将在离您最近的售后服务中心为您开具维修单，并告知维修单号。',
  mail_in_repair: () =>
    '您选择了寄修。下一步：维修单会告诉您将故障部件寄往哪个维修点；服务承诺期限自维修点签收之日起计算。',
  service_center: () => '您选择了由 Halotek 售后服务中心协助处理，服务中心将与您联系。',
  paid_service: () => '您选择了有偿服务。我们的销售人员将在维修前与您联系并提供报价。',
};

const excessChoices = (c: ExcessChoice) =>
  c.kind === 'replacement_shipment'
    ? `新品更换 ${c.units} 件（${c.shipmentNumber}）`
    : c.kind === 'units_credit'
      ? `下单抵扣 ${c.units} 件`
      : `下单抵扣 ${c.amount}`;

const excessAcceptedBody = (p: { orderNumber: string; allowance: number; excess: number }) =>
  `订单 ${p.orderNumber} 超出 ${p.allowance} 件备品的不良品经质量部门确认共 ${p.excess} 件。请选择新品更换或下单抵扣。`;

const excessResolvedBody = (p: { orderNumber: string; choice: ExcessChoice }) =>
  `订单 ${p.orderNumber} 超出备品的不良品，客户选择了：${excessChoices(p.choice)}。` +
  (p.choice.kind === 'replacement_shipment' ? '' : '抵扣将在下一笔订单下单时生效。');

const credits = (c: AppliedCredit) => (c.kind === 'units' ? `${c.units} 件免费` : `减免 ${c.amount}`);

export const zh = {
  words: { roles, remedyKinds, shippingModes, reimbursementDecisions, refundDecisions, riskSubjects },

  accounts: {
    invitation: (p): Mail => ({
      subject: 'Halotek 售后服务平台邀请',
      body: `您受邀以${roles[p.role]}身份加入 Halotek 售后服务平台。请通过以下链接设置姓名和密码（仅可使用一次，有效期至 ${p.until}）：\n${p.link}`,
    }),
    passwordReset: (p): Mail => ({
      subject: '重置密码',
      body: `您好，${p.name}：\n有人申请重置您的密码。如果是您本人，请通过以下链接设置新密码：\n${p.link}\n如果不是您本人，请忽略此邮件。`,
    }),
    emailVerification: (p): Mail => ({
      subject: '确认您的邮箱',
      body: `您好，${p.name}：\n请确认您的邮箱地址，以便查看您的购买记录和服务申请：\n${p.link}`,
    }),
    signInCeiling: (p): Mail => ({
      subject: '您的账号多次密码错误',
      body:
        `您好，${p.name}：\n您的账号在 ${p.withinMinutes} 分钟内有 ${p.failures} 次密码错误，新设备的登录已暂停一段时间；您以前登录过的设备不受影响。\n` +
        `如果不是您本人，可能有人在猜测您的密码，请设置一个在其他地方未使用过的长密码：\n${p.resetLink}`,
    }),
    signUpAttempt: (p): Mail => ({
      subject: '您已有账号',
      body: `您好，${p.name}：\n有人使用此邮箱申请注册，但该邮箱已有账号。如果是您本人，请在此登录：\n${p.signInLink}\n忘记密码？请在此设置新密码：\n${p.resetLink}\n如果不是您本人，请忽略此邮件，您的账号没有任何变化。`,
    }),
  },

  purchases: {
    verified: (p): Mail => {
      const { customerName, product, outcome } = p;
      switch (outcome.kind) {
        case 'confirmed':
          return {
            subject: '您的购买已确认',
            body: `${customerName}，您好：您的${product}的购买凭证已核实，购买已确认，保修权益全部生效。`,
          };
        case 'corrected': {
          const facts = [
            outcome.purchaseDate ? `购买日期 ${outcome.purchaseDate}` : undefined,
            outcome.dealerName ? `经销商 ${outcome.dealerName}` : undefined,
          ]
            .filter(Boolean)
            .join('，');
          return {
            subject: '您的购买已确认（已更正）',
            body: `${customerName}，您好：您的${product}的购买凭证已核实，购买已按凭证所示确认：${facts}。保修期自该日起计算。`,
          };
        }
        case 'rejected':
          return {
            subject: '您的产品登记未通过',
            body: `${customerName}，您好：您的${product}的购买凭证未能通过核实：${outcome.reason}\n请回复本消息或联系客服并提供更清晰的凭证。`,
          };
      }
    },
  },

  claims: {
    received: (p): Mail => ({
      subject: '我们已收到您的报修',
      body:
        `${p.customerName}，您好：我们已收到您于 ${p.reportedOn} 的报修。您可以选择：\n` +
        `${p.choices.map((c) => `• ${c}`).join('\n')}\n查看处理进度：${p.link}`,
    }),
    remedyChosen: (p): Mail => {
      const where = p.dealer
        ? `${p.dealer.name}${p.dealer.phone ? `（电话 ${p.dealer.phone}）` : ''}`
        : '向您出售该产品的经销商';
      return { subject: '您的处理方式', body: `${p.customerName}，您好：${nextSteps[p.remedy](where)}` };
    },
  },

  dealerRemedies: {
    notOffered: (p) =>
      `此报修不可由经销商${remedyKinds[p.kind]}（报修时为购买后第 ${p.day} 天）。${p.clause ?? ''}`,
    refundSummary: (p) => `${p.dealerName}：${p.sku} 柜台退款（报修 ${p.claimRef}）。`,
    refundDone: (p): Mail => ({
      subject: '您的退款已完成',
      body: `${p.customerName}，您好：${p.dealerName} 已${p.performedOn ? `于 ${p.performedOn} ` : ''}为您办理退款 ${p.refund}，您的报修已处理完毕。`,
    }),
    replacementDone: (p): Mail => ({
      subject: '您的换货已完成',
      body:
        `${p.customerName}，您好：${p.dealerName} 已于 ${p.performedOn} 为您办理同型号新产品（序列号 ${p.serial}）。` +
        `新产品沿用您 ${p.purchaseDate} 购买时的剩余保修期，保修期不重新计算，您的报修已处理完毕。`,
    }),
    refundDecided: (p): Mail => ({
      subject: `退款${refundDecisions[p.decision]}`,
      body: `报修 ${p.claimId} 的退款 ${p.refund} ${refundDecisions[p.decision]}。${p.reason ? `原因：${p.reason}` : ''}`,
    }),
  },

  reimbursements: {
    requested: (p): Mail => ({
      subject: '待审核的经销商补偿申请',
      body: `${p.dealerName} 已于 ${p.performedOn} 为报修 ${p.claimId} 办理${remedyKinds[p.kind]}，申请补偿：${p.amount ?? '未填金额'}。`,
    }),
    firstApprovalSummary: (p) =>
      `${p.dealerName}：${p.sku} ${remedyKinds[p.kind]}的补偿申请（报修 ${p.claimRef}），已由一人批准。`,
    decided: (p): Mail => ({
      subject: `补偿申请${reimbursementDecisions[p.decision]}`,
      body:
        `您于 ${p.performedOn} 办理的${remedyKinds[p.kind]}（报修 ${p.claimId}，${p.amount}）的补偿申请${reimbursementDecisions[p.decision]}。` +
        (p.reason ? `原因：${p.reason}` : ''),
    }),
  },

  approvals: {
    secondNeeded: (): Mail => ({ subject: '需要第二人审批', body: '需由第二人批准或驳回。' }),
    amount: '金额',
  },

  risk: {
    reviewOpened: (p): Mail => ({
      subject: `待复核：${riskSubjects[p.kind]}`,
      body: `风险规则在付款前拦下了${riskSubjects[p.kind]}（${p.subjectId}）。请在复核队列中批准，或填写原因后拒绝。`,
    }),
    claimApproved: (p): Mail => ({
      subject: '您的报修已核实',
      body: `${p.customerName}，您好：您的报修（${p.claimId}）已核实，您可以继续办理所选的处理方式。`,
    }),
    claimRejected: (p): Mail => ({
      subject: '关于您的报修',
      body: `${p.customerName}，您好：经核实，您的报修（${p.claimId}）无法享受免费处理。原因：${p.reason ?? ''}\n如有异议，请回复并附上购买凭证。`,
    }),
    reimbursementDeclined: (p): Mail => ({
      subject: '补偿申请经复核未批准',
      body: `${p.dealerName}：您的补偿申请 ${p.reimbursementId} 经复核未批准。原因：${p.reason}`,
    }),
  },

  maintenance: {
    issued: (p): Mail => {
      const whatToDo =
        p.mode === 'walk_in'
          ? `请携带产品并出示本维修单号前往${p.center}（${p.address}）。`
          : `请将故障部件寄至${p.center}（${p.address}），并注明本维修单号。服务承诺期限自签收之日起计算。`;
      return {
        subject: `维修单 ${p.number}`,
        body: `${p.customerName}，您好：您的维修单号为 ${p.number}。\n${whatToDo}\n电话：${p.phone}\n查看维修进度：${p.trackingUrl}`,
      };
    },
    moved: (p): Mail => {
      const [what, headline] = ((): [string, string] => {
        switch (p.to) {
          case 'received':
            return [
              `我们已于 ${p.on} 签收您的产品，将在 ${p.dueOn ?? p.on} 前与您联系并寄回修好的产品。`,
              '已签收',
            ];
          case 'paidService':
            return [
              '检测发现产品为人为损坏，不在保修范围内。我们将另行发送有偿维修报价，您接受报价前我们不会进行维修。',
              '人为损坏',
            ];
          case 'repaired':
            return [`您的产品已于 ${p.on} 修好，我们将尽快寄回。`, '已修好'];
          case 'returned':
            return p.returnTracking
              ? [`您的产品已于 ${p.on} 寄回，运单号 ${p.returnTracking}。`, '已寄回']
              : [`您的产品已于 ${p.on} 交还。`, '已交还'];
        }
      })();
      const note = p.note ? `\n服务中心备注：${p.note}` : '';
      return {
        subject: `维修单 ${p.number}：${headline}`,
        body: `${p.customerName}，您好：关于维修单 ${p.number}：${what}${note}\n咨询电话：${p.centerPhone}`,
      };
    },
    reminder: (p): Mail => {
      const what = p.missed
        ? `我们承诺在 ${p.dueOn} 前就您的维修与您联系，现已逾期，深表歉意。客服团队已获通知，将尽快与您联系。`
        : `您的维修将于 ${p.dueOn} 到期，服务中心将在此之前与您联系。`;
      return {
        subject: `维修单 ${p.number}：${p.dueOn} 到期`,
        body: `${p.customerName}，您好：关于维修单 ${p.number}：${what}\n咨询电话：${p.centerPhone}`,
      };
    },
    missedEscalation: (p): Mail => ({
      subject: `服务承诺逾期：${p.number}`,
      body: `维修单 ${p.number} 已超过服务承诺期限（${p.dueOn}），尚未联系客户。状态：${p.state}。`,
    }),
  },

  oem: {
    orderRequested: (p): Mail => ({
      subject: `OEM 订单 ${p.orderNumber} 待确认`,
      body: `${p.clientName} 申请订单 ${p.orderNumber}：${p.quantity} × ${p.sku}，期望交货 ${p.delivery}。请在 OEM 门户按合同价确认或说明理由拒绝。`,
    }),
    orderConfirmed: (p): Mail => ({
      subject: `OEM 订单 ${p.orderNumber} 已确认`,
      body:
        `订单 ${p.orderNumber} 已确认：${p.quantity} × ${p.sku}，单价 ${p.unitPrice}，备品 ${p.spareUnits} 件，交货 ${p.delivery}。` +
        (p.credits.length > 0 ? `\n已抵扣以往订单的补偿：${p.credits.map(credits).join('；')}。` : ''),
    }),
    orderDeclined: (p): Mail => ({
      subject: `OEM 订单 ${p.orderNumber} 未被接受`,
      body: `订单 ${p.orderNumber} 未被接受：${p.reason}`,
    }),
    defectsAwaitingReview: (p): Mail => ({
      subject: `订单 ${p.orderNumber}：${p.awaiting} 件超出备品待审核`,
      body: `订单 ${p.orderNumber} 的不良品超出 ${p.allowance} 件备品；${p.awaiting} 件待质量部门依据证据或退回实物接受或说明理由拒绝。`,
    }),
    lotNumbers: (p) =>
      `${p.defects} / ${p.unitsShipped} 件不良（${p.rate}，区间 ${p.lower}–${p.upper}），备品率 ${p.spareRate}，` +
      `涉及 ${p.clients} 个客户的 ${p.orders} 个订单。`,
    lotFlagged: (p): Mail => ({
      subject: `批次 ${p.lot} 预警：不良率高于备品率`,
      body: `${p.product} 批次 ${p.lot} 的不良率即使按 95 % 置信区间下限也高于备品率：${p.numbers}请在质量控制台发起批量不良调查。`,
    }),
    returnRequested: (p): Mail => ({
      subject: `订单 ${p.orderNumber}：请按 ${p.rmaNumber} 退回`,
      body: `请将 ${p.reportedOn} 报告的 ${p.units} 件（批次 ${p.lot}）标注 ${p.rmaNumber} 寄回，质量部门检验后处理。`,
    }),
    excessAccepted: (p): Mail => ({
      subject: `订单 ${p.orderNumber}：超出备品的不良已确认`,
      body: excessAcceptedBody(p),
    }),
    excessAcceptedForSales: (p): Mail => ({
      subject: `订单 ${p.orderNumber}（${p.clientName}）：${p.excess} 件超出备品的不良已确认`,
      body: excessAcceptedBody(p),
    }),
    defectsRejected: (p): Mail => ({
      subject: `订单 ${p.orderNumber}：${p.rejected} 件未被接受`,
      body: `质量部门未接受 ${p.reportedOn} 报告的 ${p.units} 件中的 ${p.rejected} 件（批次 ${p.lot}）：${p.reason ?? ''}`,
    }),
    excessResolved: (p): Mail => ({
      subject: `订单 ${p.orderNumber} 的处理方式`,
      body: excessResolvedBody(p),
    }),
    excessResolvedForSales: (p): Mail => ({
      subject: `订单 ${p.orderNumber}：${p.choice.kind === 'replacement_shipment' ? '新品更换' : '下单抵扣'}`,
      body: excessResolvedBody(p),
    }),
    creditSummary: (p) => `下一订单抵扣 ${p.amount}，对应 ${p.units} 台超额不良（订单 ${p.orderRef}）。`,
    remakeOrdered: (p): Mail => ({
      subject: `重新生产订单 ${p.remakeNumber}`,
      body: `批次 ${p.lot} 的批量不良已确认。我们将重新生产订单 ${p.orderNumber} 的 ${p.units} 件产品并${shippingModes[p.mode]}给您，全部费用由我方承担（${p.remakeNumber}）。这些产品不占用您的备品。`,
    }),
    shipped: (p): Mail => ({
      subject: `${shipments(p.what, p.number)} 已发货`,
      body:
        `${shipments(p.what, p.number)}（订单 ${p.orderNumber} 的 ${p.units} 件新品）已于 ${p.shippedOn} ${shippingModes[p.mode]}发出，` +
        `承运人 ${p.carrier}，${p.mode === 'air' ? '空运提单号' : '运单号'} ${p.waybill}。` +
        (p.what === 'remake' ? '全部费用由我方承担。' : ''),
    }),
    delivered: (p): Mail => ({
      subject: `${shipments(p.what, p.number)} 已送达`,
      body: `${shipments(p.what, p.number)}（订单 ${p.orderNumber} 的 ${p.units} 件新品，${p.carrier} ${p.waybill}）已于 ${p.deliveredOn} 送达。如有缺损请告知我们。`,
    }),
  },

  conversations: {
    staffReplied: (p): Mail => ({
      subject: p.number ? `关于维修单 ${p.number} 的回复` : `关于您的${p.product}的回复`,
      body:
        `${p.customerName}，您好：关于${p.number ? `维修单 ${p.number}` : `您的${p.product}`}，我们回复如下：\n\n` +
        `${p.text}\n\n` +
        (p.attachments > 0 ? `（附有 ${p.attachments} 个文件，请在您的申请页面查看。）\n` : '') +
        '直接回复本邮件即可答复；您的回复和照片会加入关于本次维修的对话。',
    }),
  },
  webhooks: {
    endpointDisabled: (p): Mail => ({
      subject: `Webhook 端点已停用：${p.url}`,
      body:
        `自 ${p.failingSince} 起发往 Webhook 端点 ${p.url} 的推送全部失败，该端点已停用，不再接收事件。` +
        `最后一次的结果：${p.lastError}。请修复接收方后在管理控制台重新启用该端点，并重新推送其错过的事件。`,
    }),
  },
  satisfaction: {
    ratingRequest: (p): Mail => ({
      subject: `请为我们的服务评分：${p.about}`,
      body:
        `${p.customerName}，您好：${p.about}已完成。请为我们的服务打 1 到 5 分，只有一个问题，无需账号：\n` +
        `${p.ratingUrl}\n此链接只能使用一次，有效期至 ${p.expiresOn}。`,
    }),
    aboutOrder: (p) => `您的维修单 ${p.number}`,
    aboutRemedy: (p) => `您的${p.kind === 'refund' ? '退款' : '换货'}`,
  },
} satisfies Catalogue;
