/*
 * What a customer is told when their registration is checked, in both languages (the server's message
 * catalogue for this area; the web app's words are in web/src/i18n).
 */

export type VerificationOutcome =
  | { kind: 'confirmed' }
  | { kind: 'corrected'; purchaseDate?: string | undefined; dealerName?: string | undefined }
  | { kind: 'rejected'; reason: string };

export function verificationMessage(
  customerName: string,
  product: { en: string; zh: string },
  outcome: VerificationOutcome,
): { subject: string; body: string } {
  switch (outcome.kind) {
    case 'confirmed':
      return {
        subject: 'Your purchase is confirmed — 您的购买已确认',
        body:
          `Dear ${customerName}, the proof of purchase of your ${product.en} was checked and your purchase is confirmed. Your warranty applies in full.\n\n` +
          `${customerName}，您好：您的${product.zh}的购买凭证已核实，购买已确认，保修权益全部生效。`,
      };
    case 'corrected': {
      const en = [
        outcome.purchaseDate ? `purchase date ${outcome.purchaseDate}` : undefined,
        outcome.dealerName ? `dealer ${outcome.dealerName}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      const zh = [
        outcome.purchaseDate ? `购买日期 ${outcome.purchaseDate}` : undefined,
        outcome.dealerName ? `经销商 ${outcome.dealerName}` : undefined,
      ]
        .filter(Boolean)
        .join('，');
      return {
        subject: 'Your purchase is confirmed, corrected — 您的购买已确认（已更正）',
        body:
          `Dear ${customerName}, the proof of purchase of your ${product.en} was checked and your purchase is confirmed as the proof shows it: ${en}. Your warranty counts from that day.\n\n` +
          `${customerName}，您好：您的${product.zh}的购买凭证已核实，购买已按凭证所示确认：${zh}。保修期自该日起计算。`,
      };
    }
    case 'rejected':
      return {
        subject: 'Your product registration was not accepted — 您的产品登记未通过',
        body:
          `Dear ${customerName}, the proof of purchase of your ${product.en} could not be accepted: ${outcome.reason}\nReply to this message or contact support with a clearer proof.\n\n` +
          `${customerName}，您好：您的${product.zh}的购买凭证未能通过核实：${outcome.reason}\n请回复本消息或联系客服并提供更清晰的凭证。`,
      };
  }
}
