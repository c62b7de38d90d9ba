import type { QuoteState } from '../../domain/paid-service/quote.js';
import type { Language } from '../../domain/policy/schema.js';

/*
 * (Straight apostrophes: the CJK font draws a curly one full-width, as in Chinese text.)
 *
 * The printable documents' words, English and Chinese: every word a quote, an invoice or a return label
 * prints. The renderer passes facts (names, numbers, amounts already formatted, days as stored) and
 * builds no sentence itself. `zh` is typed against `en`, so an entry missing there is a type error.
 */

const en = {
  quote: {
    title: 'Quote',
    reference: 'Quote reference',
    date: 'Date',
  },
  invoice: {
    title: 'Invoice',
    number: 'Invoice number',
    date: 'Invoice date',
  },
  maintenanceNumber: 'Maintenance number',
  customer: 'Customer',
  maker: {
    taxId: 'Tax ID',
    phone: 'Phone',
    email: 'E-mail',
  },
  lines: {
    kind: 'Item',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    amount: 'Amount',
    part: 'Part',
    labour: 'Labour (h)',
  },
  totals: {
    subtotal: 'Subtotal before tax',
    tax: (rate: string, included: boolean) => `Tax ${rate}${included ? ' (included in the prices)' : ''}`,
    total: 'Total',
  },
  payment: {
    title: 'Payment status',
    quote: {
      draft: 'Draft — not yet sent to the customer',
      sent: "Awaiting the customer's answer; nothing to pay yet",
      accepted: 'Accepted — payable once the repair is done',
      declined: 'Declined — nothing to pay',
      repaired: 'Repair done — to be invoiced',
      invoiced: (invoiceNumber: string) => `Invoiced as ${invoiceNumber}`,
      withdrawn: 'Withdrawn — nothing to pay',
    } satisfies Record<QuoteState, string | ((invoiceNumber: string) => string)>,
    invoiceDue: 'Payment due on receipt of this invoice',
  },
  validity: "Amounts in the quote's currency; each line rounded half up to the minor unit.",
  printed: (day: string) => `Printed ${day}`,
  page: (n: number, of: number) => `Page ${n} of ${of}`,
  label: {
    title: 'Mail-in repair — return label',
    from: 'From',
    to: 'To',
    fillIn: 'Your name, address and phone:',
    attention: 'Attn: After-sales repairs',
    instructions:
      "Pack only the faulty parts, with this label on the parcel. Keep the courier's tracking number.",
  },
};

export type DocumentWords = typeof en;

const zh: DocumentWords = {
  quote: {
    title: '报价单',
    reference: '报价编号',
    date: '日期',
  },
  invoice: {
    title: '发票',
    number: '发票号码',
    date: '开票日期',
  },
  maintenanceNumber: '维修单号',
  customer: '客户',
  maker: {
    taxId: '税号',
    phone: '电话',
    email: '电子邮件',
  },
  lines: {
    kind: '项目',
    description: '说明',
    quantity: '数量',
    unitPrice: '单价',
    amount: '金额',
    part: '配件',
    labour: '工时（小时）',
  },
  totals: {
    subtotal: '税前小计',
    tax: (rate, included) => `税额 ${rate}${included ? '（价内含税）' : ''}`,
    total: '合计',
  },
  payment: {
    title: '付款状态',
    quote: {
      draft: '草稿——尚未发送给客户',
      sent: '等待客户答复，暂无需付款',
      accepted: '已接受——维修完成后付款',
      declined: '已拒绝——无需付款',
      repaired: '已修复——待开票',
      invoiced: (invoiceNumber) => `已开票：${invoiceNumber}`,
      withdrawn: '已撤回——无需付款',
    },
    invoiceDue: '收到本发票后即付',
  },
  validity: '金额以报价币种的最小单位计，每行四舍五入。',
  printed: (day) => `打印日期 ${day}`,
  page: (n, of) => `第 ${n} 页，共 ${of} 页`,
  label: {
    title: '寄修——寄件标签',
    from: '寄件人',
    to: '收件人',
    fillIn: '您的姓名、地址和电话：',
    attention: '售后维修部 收',
    instructions: '请只寄送故障部件，并将本标签贴在包裹上。请保留快递单号。',
  },
};

export const documentWords: Record<Language, DocumentWords> = { en, zh };
