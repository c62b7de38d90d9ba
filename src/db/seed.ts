import { createHash, randomUUID } from 'node:crypto';
import { flagCrossedLots } from '../app/oem/defect-writes.js';
import { writeUploadBytes } from '../app/uploads/upload-content.js';
import { DOCUMENT_SETTINGS_KEY } from '../app/documents/document-settings.js';
import type { DocumentSettings } from '../domain/documents/settings.js';
import { DEMO_FAULT_PNG } from './demo-fault-photo.js';
import { DEMO_RECEIPT_PNG } from './demo-receipt.js';
import { hashPassword } from 'better-auth/crypto';
import { asc, desc, eq, lte, sql } from 'drizzle-orm';
import { Temporal } from '../domain/calendar.js';
import { maintenanceNumberFor } from '../domain/maintenance/maintenance-number.js';
import { serviceCommitmentDueOn } from '../domain/maintenance/service-commitment.js';
import type { MaintenanceMode, MaintenanceState } from '../domain/maintenance/state-machine.js';
import { decide } from '../domain/policy/evaluate.js';
import { policyVersionSchema, type RemedyCode } from '../domain/policy/schema.js';
import type { DecisionWindow } from '../domain/policy/evaluate.js';
import type { Database } from './client.js';
import { scalarOf } from './rows.js';
import {
  instanceSettings,
  accounts,
  auditEvents,
  claims,
  conversationAttachments,
  conversationMessages,
  conversations,
  CREDENTIAL_PROVIDER,
  dealers,
  endUsers,
  type NewDealer,
  type NewEndUser,
  type NewOemClient,
  type NewProduct,
  type NewServiceCenter,
  lotAllocations,
  lots,
  maintenanceOrderEvents,
  satisfactionRatings,
  maintenanceOrders,
  maintenanceOrderParts,
  maintenanceOrderWork,
  parts,
  oemClients,
  oemDefectReports,
  oemOrders,
  oemPriceListEntries,
  policyDrafts,
  policyVersions,
  products,
  purchases,
  serviceCenters,
  units,
  uploads,
  users,
} from './schema.js';
import type { Role } from '../domain/access/access.js';

/*
 * Demo data for a fresh installation: enough of Halotek's world that every screen has something to
 * show. Purchases are dated relative to "today" so each warranty window is always on display.
 */

export const DEMO_SKUS = {
  dcPowerPanel: 'DCP-220-48',
  headset: 'HS-200',
  bluetoothHeadset: 'BTH-500',
  chargerModule: 'CHG-48-30',
  inverter: 'INV-3000',
  batteryMonitor: 'BMS-24',
} as const;

export const DEMO_PRODUCTS = [
  {
    sku: DEMO_SKUS.dcPowerPanel,
    nameEn: '220 V DC Power Panel, 48 V output',
    nameZh: '220V 直流屏（48V 输出）',
    category: 'dc_power_panel',
    priceMinor: 1_280_000,
    currency: 'CNY',
  },
  {
    sku: DEMO_SKUS.headset,
    nameEn: 'HS-200 Wired Headset',
    nameZh: 'HS-200 有线耳机',
    category: 'headset',
    priceMinor: 29_900,
    currency: 'CNY',
  },
  {
    sku: DEMO_SKUS.bluetoothHeadset,
    nameEn: 'BTH-500 Bluetooth Headset',
    nameZh: 'BTH-500 蓝牙耳机',
    category: 'bluetooth_headset',
    priceMinor: 45_900,
    currency: 'CNY',
  },
  {
    sku: DEMO_SKUS.chargerModule,
    nameEn: '48 V 30 A Charger Module',
    nameZh: '48V 30A 充电模块',
    category: 'charger_module',
    priceMinor: 260_000,
    currency: 'CNY',
  },
  {
    sku: DEMO_SKUS.inverter,
    nameEn: '3 kW Pure Sine Wave Inverter',
    nameZh: '3kW 纯正弦波逆变器',
    category: 'inverter',
    // Shows a product whose own warranty outlasts the policy's one year.
    warrantyOverride: { years: 2 },
  },
  {
    sku: DEMO_SKUS.batteryMonitor,
    nameEn: 'BMS-24 Battery Monitor',
    nameZh: 'BMS-24 蓄电池巡检仪',
    category: 'battery_monitor',
    // The catalogue price bounds what a dealer may ask back; the inverter has none yet (sales set it).
    priceMinor: 89_900,
    currency: 'CNY',
  },
] as const satisfies readonly NewProduct[];

export const DEMO_DEALERS = [
  {
    name: 'Shenzhen Huaqiang Power Equipment Co., Ltd.',
    nameZh: '深圳华强电力设备有限公司',
    city: 'Shenzhen',
    email: 'service@huaqiang-power.example.com',
    phone: '+86 755 8321 0456',
    timeZone: 'Asia/Shanghai',
  },
  {
    name: 'Hangzhou Xinghe Electric Supply Co., Ltd.',
    nameZh: '杭州星河电气供应有限公司',
    city: 'Hangzhou',
    email: 'sales@xinghe-electric.example.com',
    phone: '+86 571 8765 2310',
    timeZone: 'Asia/Shanghai',
  },
  {
    name: 'Wuhan Changjiang Electronics Trading Co., Ltd.',
    nameZh: '武汉长江电子贸易有限公司',
    city: 'Wuhan',
    email: 'support@cj-electronics.example.com',
    phone: '+86 27 8596 4471',
    timeZone: 'Asia/Shanghai',
  },
] as const satisfies readonly NewDealer[];

/**
 * Mainland China's 2026 holiday arrangement (State Council notice, November 2025): the holidays, and
 * the weekend days worked in exchange (调休). An admin enters each new year's when it is published.
 */
const MAINLAND_CHINA_2026 = {
  closedOn: [
    ...['2026-01-01', '2026-01-02', '2026-01-03'],
    ...['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'],
    ...['2026-02-21', '2026-02-22', '2026-02-23'],
    ...['2026-04-04', '2026-04-05', '2026-04-06'],
    ...['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'],
    ...['2026-06-19', '2026-06-20', '2026-06-21'],
    ...['2026-09-25', '2026-09-26', '2026-09-27'],
    ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  ],
  openOn: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

export const DEMO_SERVICE_CENTERS = [
  {
    kind: 'center',
    nameEn: 'Halotek Shenzhen After-sales Service Center',
    nameZh: 'Halotek 深圳售后服务中心',
    city: 'Shenzhen',
    address: '12F, Tower A, 6008 Shennan Avenue, Futian District, Shenzhen, Guangdong 518034',
    latitude: 22.5409,
    longitude: 114.0364,
    timeZone: 'Asia/Shanghai',
    committedServiceDays: 5,
    businessDays: [1, 2, 3, 4, 5, 6],
    email: 'service.sz@halotek.example.com',
    phone: '+86 755 2660 1180',
  },
  {
    kind: 'center',
    nameEn: 'Halotek Shanghai After-sales Service Center',
    nameZh: 'Halotek 上海售后服务中心',
    city: 'Shanghai',
    address: '5F, Building 3, 88 Tianlin Road, Xuhui District, Shanghai 200233',
    latitude: 31.1721,
    longitude: 121.4238,
    timeZone: 'Asia/Shanghai',
    committedServiceDays: 5,
    businessDays: [1, 2, 3, 4, 5, 6],
    email: 'service.sh@halotek.example.com',
    phone: '+86 21 6485 3302',
  },
  {
    kind: 'office',
    nameEn: 'Halotek Beijing Maintenance Office',
    nameZh: 'Halotek 北京维修点',
    city: 'Beijing',
    address: 'Room 301, 8 Shangdi Information Road, Haidian District, Beijing 100085',
    latitude: 40.0336,
    longitude: 116.3102,
    timeZone: 'Asia/Shanghai',
    committedServiceDays: 7,
    businessDays: [1, 2, 3, 4, 5],
    email: 'service.bj@halotek.example.com',
    phone: '+86 10 6298 7715',
  },
  {
    kind: 'office',
    nameEn: 'Halotek Chengdu Maintenance Office',
    nameZh: 'Halotek 成都维修点',
    city: 'Chengdu',
    address: 'Unit 1206, 1700 Tianfu Avenue North, High-tech Zone, Chengdu, Sichuan 610041',
    latitude: 30.5702,
    longitude: 104.0647,
    timeZone: 'Asia/Shanghai',
    committedServiceDays: 7,
    businessDays: [1, 2, 3, 4, 5],
    email: 'service.cd@halotek.example.com',
    phone: '+86 28 8517 6620',
  },
] as const satisfies readonly NewServiceCenter[];

/** The maker's details and tax on the demo's printable documents. */
export const DEMO_DOCUMENT_SETTINGS: DocumentSettings = {
  maker: {
    name: { en: 'Halotek Electronics Co., Ltd.', zh: 'Halotek 电子有限公司' },
    address: {
      en: '18F, Building 2, 9 Keji South Road, Nanshan District, Shenzhen, Guangdong 518057',
      zh: '广东省深圳市南山区科技南路9号2栋18楼 518057',
    },
    phone: '+86 755 2660 1100',
    email: 'billing@halotek.example.com',
    taxId: '91440300MA5DEMO00X',
  },
  tax: { rateBasisPoints: 1300, pricesIncludeTax: true },
};

export const DEMO_END_USERS = [
  { name: 'Li Wei', email: 'li.wei@example.com', phone: '+86 138 0013 5521' },
  { name: 'Zhang Min', email: null, phone: '+86 139 1021 7784' },
  { name: 'Wang Fang', email: 'wang.fang@example.com', phone: null },
  { name: 'Chen Jie', email: 'chen.jie@example.com', phone: '+86 186 2830 4419' },
] as const satisfies readonly NewEndUser[];

/** `madeOn`: the day the unit left the maker (its lot's month), before any sale of it can be dated. */
export const DEMO_UNITS = [
  { serial: 'HS200-2406-001732', sku: DEMO_SKUS.headset, lot: 'HS200-L2406B', madeOn: '2024-06-18' },
  { serial: 'HS200-2406-001733', sku: DEMO_SKUS.headset, lot: 'HS200-L2406B', madeOn: '2024-06-18' },
  { serial: 'HS200-2406-001741', sku: DEMO_SKUS.headset, lot: 'HS200-L2406B', madeOn: '2024-06-18' },
  {
    serial: 'BTH500-2405-004410',
    sku: DEMO_SKUS.bluetoothHeadset,
    lot: 'BTH500-L2405A',
    madeOn: '2024-05-22',
  },
  { serial: 'DCP22048-2403-000127', sku: DEMO_SKUS.dcPowerPanel, lot: 'DCP-L2403A', madeOn: '2024-03-12' },
  { serial: 'DCP22048-2403-000128', sku: DEMO_SKUS.dcPowerPanel, lot: 'DCP-L2403A', madeOn: '2024-03-12' },
  { serial: 'CHG4830-2311-002205', sku: DEMO_SKUS.chargerModule, lot: 'CHG-L2311C', madeOn: '2023-11-20' },
  // In stock at the dealers: the units a same-type replacement hands over (the registry is the truth).
  { serial: 'HS200-2406-001734', sku: DEMO_SKUS.headset, lot: 'HS200-L2406B', madeOn: '2024-06-18' },
  { serial: 'HS200-2406-001735', sku: DEMO_SKUS.headset, lot: 'HS200-L2406B', madeOn: '2024-06-18' },
  {
    serial: 'BTH500-2405-004411',
    sku: DEMO_SKUS.bluetoothHeadset,
    lot: 'BTH500-L2405A',
    madeOn: '2024-05-22',
  },
  { serial: 'BMS24-2409-000301', sku: DEMO_SKUS.batteryMonitor, lot: 'BMS-L2409A', madeOn: '2024-09-10' },
  { serial: 'BMS24-2409-000302', sku: DEMO_SKUS.batteryMonitor, lot: 'BMS-L2409A', madeOn: '2024-09-10' },
] as const;

/**
 * A customer's own registration waiting in the verification queue: Zhao Lei registered a headset with a
 * photo of his till receipt, naming the demo dealer, which (or support) checks it. Until then no refund,
 * replacement or free repair is carried out on it.
 */
export const DEMO_REGISTRATION = {
  daysAgo: 2,
  registeredDaysAgo: 1,
  sku: DEMO_SKUS.headset,
  serial: 'HS200-2406-001741',
  dealer: 0,
  buyer: { name: 'Zhao Lei', email: 'zhao.lei@example.com', phone: '+86 137 2468 1357' },
} as const;

/** One purchase per warranty window of the Halotek policy, so the demo always shows each of them. */
export const DEMO_PURCHASES = [
  {
    daysAgo: 3,
    expectedWindow: '7_days',
    sku: DEMO_SKUS.headset,
    serial: 'HS200-2406-001732',
    dealer: 0,
    endUser: 0,
  },
  {
    daysAgo: 30,
    expectedWindow: '60_days',
    sku: DEMO_SKUS.bluetoothHeadset,
    serial: 'BTH500-2405-004410',
    dealer: 1,
    endUser: 1,
  },
  {
    daysAgo: 200,
    expectedWindow: '1_year',
    sku: DEMO_SKUS.dcPowerPanel,
    serial: 'DCP22048-2403-000127',
    dealer: 2,
    endUser: 2,
  },
  {
    daysAgo: 400,
    expectedWindow: 'expired',
    sku: DEMO_SKUS.chargerModule,
    serial: 'CHG4830-2311-002205',
    dealer: 0,
    endUser: 3,
  },
] as const satisfies readonly {
  daysAgo: number;
  expectedWindow: DecisionWindow;
  sku: string;
  serial: string;
  dealer: number;
  endUser: number;
}[];

/**
 * Repairs under way, so the technician's queue and support's order queue hold work after `npm start`:
 * each a buyer of their own (the demo customers above stay free for the journeys), a product bought
 * within the year, a claim for a free repair, and its maintenance order where it now stands — one past
 * its service commitment (reminded and escalated, not yet contacted), one received yesterday, one
 * waiting for the mailed parts, one just issued. Days are counted back from the seeding day.
 */
export const DEMO_REPAIRS = [
  {
    buyer: { name: 'Huang Tao', email: 'huang.tao@example.com', phone: '+86 135 0755 2291' },
    unit: {
      serial: 'DCP22048-2403-000131',
      sku: DEMO_SKUS.dcPowerPanel,
      lot: 'DCP-L2403A',
      madeOn: '2024-03-12',
    },
    dealer: 0,
    purchaseDaysAgo: 150,
    reportedDaysAgo: 16,
    description: 'Rectifier module 2 raises a fault alarm and the bus voltage drops under load.',
    center: 0,
    mode: 'walk_in',
    state: 'diagnosing',
    receivedDaysAgo: 15,
    contactedDaysAgo: null,
    overdue: true,
  },
  {
    buyer: { name: 'Liu Yang', email: 'liu.yang@example.com', phone: '+86 136 2019 4870' },
    unit: {
      serial: 'BMS24-2409-000305',
      sku: DEMO_SKUS.batteryMonitor,
      lot: 'BMS-L2409A',
      madeOn: '2024-09-10',
    },
    dealer: 1,
    purchaseDaysAgo: 90,
    reportedDaysAgo: 4,
    description: 'Cell 7 always reads 0.00 V although the battery is charged.',
    center: 0,
    mode: 'mail_in',
    state: 'received',
    receivedDaysAgo: 1,
    contactedDaysAgo: 1,
    overdue: false,
  },
  {
    buyer: { name: 'Zhou Na', email: null, phone: '+86 139 5718 3306' },
    unit: {
      serial: 'DCP22048-2403-000132',
      sku: DEMO_SKUS.dcPowerPanel,
      lot: 'DCP-L2403A',
      madeOn: '2024-03-12',
    },
    dealer: 1,
    purchaseDaysAgo: 240,
    reportedDaysAgo: 2,
    description: 'The control board display stays dark; the panel still powers the load.',
    center: 1,
    mode: 'mail_in',
    state: 'awaitingParts',
    receivedDaysAgo: null,
    contactedDaysAgo: null,
    overdue: false,
  },
  {
    buyer: { name: 'Ma Jun', email: 'ma.jun@example.com', phone: '+86 138 1062 9953' },
    unit: {
      serial: 'BMS24-2409-000306',
      sku: DEMO_SKUS.batteryMonitor,
      lot: 'BMS-L2409A',
      madeOn: '2024-09-10',
    },
    dealer: 2,
    purchaseDaysAgo: 75,
    reportedDaysAgo: 0,
    description: 'The RS-485 port stopped answering the monitoring system.',
    center: 2,
    mode: 'walk_in',
    state: 'issued',
    receivedDaysAgo: null,
    contactedDaysAgo: null,
    overdue: false,
  },
] as const satisfies readonly {
  buyer: { name: string; email: string | null; phone: string };
  unit: { serial: string; sku: string; lot: string; madeOn: string };
  dealer: number;
  purchaseDaysAgo: number;
  reportedDaysAgo: number;
  description: string;
  center: number;
  mode: MaintenanceMode;
  state: MaintenanceState;
  receivedDaysAgo: number | null;
  contactedDaysAgo: number | null;
  overdue: boolean;
}[];

/**
 * The parts list of the demo (issue 19): spare parts with their unit cost in CNY, most of one product,
 * a fuse shared by all. The repair under diagnosis has used some of them (DEMO_REPAIR_WORK), so the
 * technician's order page and the cost of warranty show parts and labour after `npm start`.
 */
export const DEMO_PARTS = [
  {
    partNumber: 'DCP-RM-48',
    nameEn: 'Rectifier module 48 V',
    nameZh: '48 V 整流模块',
    unitCostMinor: 68_000,
    sku: DEMO_SKUS.dcPowerPanel,
  },
  {
    partNumber: 'DCP-CB-01',
    nameEn: 'Control board',
    nameZh: '控制板',
    unitCostMinor: 42_000,
    sku: DEMO_SKUS.dcPowerPanel,
  },
  {
    partNumber: 'BMS-SB-24',
    nameEn: 'Sensing board',
    nameZh: '采样板',
    unitCostMinor: 15_500,
    sku: DEMO_SKUS.batteryMonitor,
  },
  {
    partNumber: 'HS-EP-200',
    nameEn: 'Earpiece driver',
    nameZh: '听筒单元',
    unitCostMinor: 2_800,
    sku: DEMO_SKUS.headset,
  },
  { partNumber: 'FUSE-10A', nameEn: 'Fuse 10 A', nameZh: '保险丝 10 A', unitCostMinor: 250, sku: null },
] as const;

/** What the repair under diagnosis used so far: a rectifier module, two fuses, 1.5 hours at CN¥120.00. */
export const DEMO_REPAIR_WORK = {
  parts: [
    { partNumber: 'DCP-RM-48', quantity: 1 },
    { partNumber: 'FUSE-10A', quantity: 2 },
  ],
  labourHundredths: 150,
  labourRateMinor: 12_000,
} as const;

/** The moves each demo repair made from issued to where it stands (the state machine's own path). */
const REPAIR_PATHS: Record<(typeof DEMO_REPAIRS)[number]['state'], readonly MaintenanceState[]> = {
  issued: [],
  awaitingParts: ['awaitingParts'],
  received: ['awaitingParts', 'received'],
  diagnosing: ['received', 'diagnosing'],
};

/** The free-repair remedy each mode is (app/maintenance/issue-maintenance-order.ts). */
const REMEDY_OF_MODE: Record<MaintenanceMode, RemedyCode> = {
  walk_in: 'maintenance_order',
  mail_in: 'mail_in_repair',
};

/**
 * Conversations on two demo repairs (issue 16), by the index of the repair in DEMO_REPAIRS: Liu Yang asked
 * with a photo of the fault through the tracking link, the Shenzhen technician answered and left an internal
 * note for colleagues; Huang Tao, whose repair is late, asked and waits for staff (support's queue).
 */
export const DEMO_CONVERSATIONS = [
  {
    repair: 1,
    messages: [
      {
        author: 'customer',
        daysAgo: 3,
        hour: 20,
        visibility: 'public',
        body: 'The display shows 0.00 V for cell 7 even right after charging. A photo of the screen is attached.',
        photo: 'cell-7-display.png',
      },
      {
        author: 'technician',
        daysAgo: 1,
        hour: 16,
        visibility: 'public',
        body: 'Your battery monitor arrived today. We will check the sense line of cell 7 and its fuse first, and write to you within two working days.',
        photo: null,
      },
      {
        author: 'technician',
        daysAgo: 1,
        hour: 17,
        visibility: 'internal',
        body: 'The sense wire of cell 7 looks pinched at the connector: check it before replacing the board.',
        photo: null,
      },
    ],
  },
  {
    repair: 0,
    messages: [
      {
        author: 'customer',
        daysAgo: 2,
        hour: 10,
        visibility: 'public',
        body: 'It has been two weeks. Is there any news about the rectifier module?',
        photo: null,
      },
    ],
  },
] as const satisfies readonly {
  repair: number;
  messages: readonly {
    author: 'customer' | 'technician';
    daysAgo: number;
    hour: number;
    visibility: 'public' | 'internal';
    body: string;
    photo: string | null;
  }[];
}[];

export const DEMO_OEM_CLIENT = {
  name: 'Brightwave Audio Ltd.',
  country: 'GB',
  contactName: 'Hannah Clarke',
  email: 'procurement@brightwave-audio.example.com',
  phone: '+44 20 7946 0321',
} as const satisfies NewOemClient;

export const DEMO_OEM_ORDER = {
  orderNumber: 'OEM-BW-0001',
  sku: DEMO_SKUS.bluetoothHeadset,
  quantity: 2000,
  spareRateBps: 50,
  spareUnits: 10,
  /** CNY 185.00 a unit: a money credit for excess defects is worked out from it. */
  unitPrice: { amountMinor: 18_500, currency: 'CNY' },
  /** Delivered recently enough that the one-year defect window is open. */
  deliveredDaysAgo: 90,
  lots: ['BTH500-L2501A', 'BTH500-L2501B'],
  lotDetails: [
    {
      lot: 'BTH500-L2501A',
      units: 1200,
      serials: { first: 'BTH500-2501-000001', last: 'BTH500-2501-001200' },
    },
    {
      lot: 'BTH500-L2501B',
      units: 800,
      serials: { first: 'BTH500-2501-001201', last: 'BTH500-2501-002000' },
    },
  ],
  /**
   * 9 of its 10 spares used: one more report of a few units runs it past its spares (the client then
   * chooses a replacement shipment or a credit on its next order). Lot A at 0.75 % is not flagged.
   */
  defects: [
    { lot: 'BTH500-L2501A', units: 4, failureMode: 'No sound in the left earpiece', daysAgo: 60 },
    {
      lot: 'BTH500-L2501A',
      units: 3,
      serials: ['BTH500-2501-000112', 'BTH500-2501-000487', 'BTH500-2501-000903'],
      failureMode: 'Does not pair over Bluetooth',
      daysAgo: 35,
    },
    { lot: 'BTH500-L2501A', units: 2, failureMode: 'Battery does not charge', daysAgo: 12 },
  ],
} as const;

/**
 * A second order of the demo client whose lot fails far above its spares: 14 defects in 1,000 units
 * (1.4 %) against 0.3 % spares. The early warning flags the lot for QA, who can open an investigation
 * and confirm a production cause (the remake then takes the units off the client's spares).
 */
export const DEMO_FLAGGED_OEM_ORDER = {
  orderNumber: 'OEM-BW-0002',
  sku: DEMO_SKUS.headset,
  quantity: 1000,
  spareRateBps: 30,
  spareUnits: 3,
  unitPrice: { amountMinor: 6_800, currency: 'CNY' },
  deliveredDaysAgo: 60,
  lots: ['HS200-L2509C'],
  lotDetails: [{ lot: 'HS200-L2509C', units: 1000, serials: null }],
  defects: [
    { lot: 'HS200-L2509C', units: 5, failureMode: 'Cable crackles when bent at the plug', daysAgo: 40 },
    { lot: 'HS200-L2509C', units: 6, failureMode: 'Cable crackles when bent at the plug', daysAgo: 25 },
    { lot: 'HS200-L2509C', units: 3, failureMode: 'Microphone cuts out', daysAgo: 8 },
  ],
} as const;

/**
 * A third, smaller order of the demo client, confirmed at its contract price, with a report that runs
 * 2 units past its 3 spares and waits for QA: nothing is owed for those two until QA accepts them (the
 * client sees them waiting). Its lot (5 in 1,000) is not flagged.
 */
export const DEMO_REVIEW_OEM_ORDER = {
  orderNumber: 'OEM-BW-0003',
  sku: DEMO_SKUS.bluetoothHeadset,
  quantity: 1000,
  spareRateBps: 30,
  spareUnits: 3,
  unitPrice: { amountMinor: 18_500, currency: 'CNY' },
  deliveredDaysAgo: 45,
  lots: ['BTH500-L2508D'],
  lotDetails: [{ lot: 'BTH500-L2508D', units: 1000, serials: null }],
  defects: [
    {
      lot: 'BTH500-L2508D',
      units: 5,
      failureMode: 'Right earpiece silent after a firmware update',
      daysAgo: 3,
      awaitingQa: true,
    },
  ],
} as const;

/** A request of the demo client that waits for sales to confirm it at the contract price. */
export const DEMO_REQUESTED_OEM_ORDER = {
  orderNumber: 'OEM-BW-0004',
  sku: DEMO_SKUS.bluetoothHeadset,
  quantity: 1500,
  wantedInDays: 30,
} as const;

/**
 * Sales's contract prices for the demo client (CNY, per unit): the Bluetooth headset's went up 20 days
 * ago, so the older orders keep the price they were confirmed at and the request gets the new one.
 */
export const DEMO_PRICE_LIST = [
  { sku: DEMO_SKUS.bluetoothHeadset, amountMinor: 18_500, daysAgo: 400 },
  { sku: DEMO_SKUS.bluetoothHeadset, amountMinor: 18_900, daysAgo: 20 },
  { sku: DEMO_SKUS.headset, amountMinor: 6_800, daysAgo: 400 },
] as const;

/** The maker's lots: those the demo orders shipped from (with units made beyond them), and one not yet shipped. */
export const DEMO_LOTS = [
  { sku: DEMO_SKUS.bluetoothHeadset, code: 'BTH500-L2501A', quantity: 1500, madeDaysAgo: 110 },
  { sku: DEMO_SKUS.bluetoothHeadset, code: 'BTH500-L2501B', quantity: 800, madeDaysAgo: 105 },
  { sku: DEMO_SKUS.headset, code: 'HS200-L2509C', quantity: 1000, madeDaysAgo: 75 },
  { sku: DEMO_SKUS.bluetoothHeadset, code: 'BTH500-L2508D', quantity: 1200, madeDaysAgo: 60 },
  { sku: DEMO_SKUS.bluetoothHeadset, code: 'BTH500-L2511E', quantity: 3000, madeDaysAgo: 5 },
] as const;

/**
 * One account per role, so whoever installs the demo can sign in as each and see what it sees. Every
 * one has the same password, printed in the README: these accounts exist only with SEED_DEMO_DATA.
 */
export const DEMO_PASSWORD = 'halotek-demo-2026';

export const DEMO_ACCOUNTS = [
  { role: 'admin', name: 'Ada Admin', email: 'admin@halotek.example.com' },
  { role: 'support', name: 'Sun Li (support)', email: 'support@halotek.example.com' },
  { role: 'qa', name: 'Qian Hao (QA)', email: 'qa@halotek.example.com' },
  { role: 'sales', name: 'Song Jia (sales)', email: 'sales@halotek.example.com' },
  /** Of the first demo dealer, Shenzhen Huaqiang. */
  { role: 'dealer', name: 'Deng Kai (Huaqiang)', email: 'dealer@huaqiang-power.example.com' },
  /** Of the first demo service center, Shenzhen. */
  { role: 'technician', name: 'Tang Wei (Shenzhen center)', email: 'technician@halotek.example.com' },
  { role: 'oem', name: 'Hannah Clarke', email: 'oem@brightwave-audio.example.com' },
  /** Li Wei, the first demo end user, who bought a headset three days ago. */
  { role: 'customer', name: 'Li Wei', email: 'li.wei@example.com' },
] as const satisfies readonly { role: Role; name: string; email: string }[];

let demoPasswordHash: Promise<string> | undefined;
/** Hashing is slow on purpose; the demo accounts share one password, so one hash serves them all. */
function demoPasswordHashOnce(): Promise<string> {
  demoPasswordHash ??= hashPassword(DEMO_PASSWORD);
  return demoPasswordHash;
}

/** The audit action that marks a database as holding the demo data. */
export const DEMO_SEEDED_ACTION = 'demo_data.seeded';

/** Serializes concurrent seeders (several app processes starting on one fresh PostgreSQL). */
const SEED_LOCK_KEY = 7_361_205_115;

export async function seedDemoData(
  db: Database,
  options: { today: Temporal.PlainDate },
): Promise<{ seeded: boolean }> {
  const { today } = options;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    // A database that already has products is in use: demo rows would mix with real ones.
    const [marker] = await tx
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(eq(auditEvents.action, DEMO_SEEDED_ACTION))
      .limit(1);
    const [anyProduct] = await tx.select({ id: products.id }).from(products).limit(1);
    if (marker || anyProduct) return { seeded: false };
    const passwordHash = await demoPasswordHashOnce();

    const productRows = await tx
      .insert(products)
      .values([...DEMO_PRODUCTS])
      .returning({ id: products.id, sku: products.sku });
    const productId = (sku: string): string => required(productRows.find((p) => p.sku === sku)?.id, sku);

    const unitRows = await tx
      .insert(units)
      .values(
        [...DEMO_UNITS, ...DEMO_REPAIRS.map((r) => r.unit)].map((u) => ({
          serial: u.serial,
          lot: u.lot,
          madeOn: u.madeOn,
          productId: productId(u.sku),
          // Sold: the demo's sales and the demo registration; the rest wait at the dealers.
          state:
            DEMO_PURCHASES.some((p) => p.serial === u.serial) ||
            u.serial === DEMO_REGISTRATION.serial ||
            DEMO_REPAIRS.some((r) => r.unit.serial === u.serial)
              ? ('sold' as const)
              : ('in_stock' as const),
        })),
      )
      .returning({ id: units.id, serial: units.serial });
    const unitId = (serial: string): string =>
      required(unitRows.find((u) => u.serial === serial)?.id, serial);

    const dealerRows = await tx
      .insert(dealers)
      .values([...DEMO_DEALERS])
      .returning({ id: dealers.id });
    await tx.insert(serviceCenters).values(
      DEMO_SERVICE_CENTERS.map((c) => ({
        ...c,
        businessDays: [...c.businessDays],
        // Every demo center is in mainland China.
        ...MAINLAND_CHINA_2026,
      })),
    );
    // The maker as the demo's quotes, invoices and return labels print it (Settings → documents).
    await tx
      .insert(instanceSettings)
      .values({ key: DOCUMENT_SETTINGS_KEY, value: JSON.stringify(DEMO_DOCUMENT_SETTINGS) })
      .onConflictDoNothing();
    const endUserRows = await tx
      .insert(endUsers)
      .values([...DEMO_END_USERS])
      .returning({ id: endUsers.id });

    await tx.insert(purchases).values(
      DEMO_PURCHASES.map((p) => {
        const buyer = DEMO_END_USERS[p.endUser];
        return {
          productId: productId(p.sku),
          unitId: unitId(p.serial),
          dealerId: required(dealerRows[p.dealer]?.id, `dealer ${p.dealer}`),
          endUserId: required(endUserRows[p.endUser]?.id, `end user ${p.endUser}`),
          purchaseDate: today.subtract({ days: p.daysAgo }).toString(),
          buyerName: buyer.name,
          buyerEmail: buyer.email,
          buyerPhone: buyer.phone,
          // Sold at the catalogue price: a refund gives back at most this.
          ...(() => {
            const product = DEMO_PRODUCTS.find((d) => d.sku === p.sku);
            return product && 'priceMinor' in product
              ? { priceMinor: product.priceMinor, currency: product.currency }
              : {};
          })(),
        };
      }),
    );

    {
      const r = DEMO_REGISTRATION;
      const buyer = r.buyer;
      const [registrant] = await tx.insert(endUsers).values(buyer).returning({ id: endUsers.id });
      const [proof] = await tx
        .insert(uploads)
        .values({
          kind: 'proof_of_purchase',
          mediaType: 'image/png',
          sizeBytes: DEMO_RECEIPT_PNG.length,
          sha256: createHash('sha256').update(DEMO_RECEIPT_PNG).digest('hex'),
          originalName: 'receipt.png',
          uploadedBy: 'demo',
        })
        .returning({ id: uploads.id, sha256: uploads.sha256 });
      if (!proof) throw new Error('insert returned no upload');
      await writeUploadBytes(tx, proof.id, DEMO_RECEIPT_PNG);
      const registeredAt = new Date(
        today.subtract({ days: r.registeredDaysAgo }).toZonedDateTime('UTC').epochMilliseconds +
          3 * 3600 * 1000,
      );
      const [registration] = await tx
        .insert(purchases)
        .values({
          productId: productId(r.sku),
          unitId: unitId(r.serial),
          dealerId: required(dealerRows[r.dealer]?.id, `dealer ${r.dealer}`),
          endUserId: required(registrant?.id, 'registrant'),
          purchaseDate: today.subtract({ days: r.daysAgo }).toString(),
          proofUploadId: proof.id,
          proofSha256: proof.sha256,
          recordedBy: 'demo',
          verification: 'pending',
          buyerName: buyer.name,
          buyerEmail: buyer.email,
          buyerPhone: buyer.phone,
          createdAt: registeredAt,
        })
        .returning({ id: purchases.id });
      await tx.insert(auditEvents).values({
        actor: 'demo',
        action: 'purchase.registered',
        entityType: 'purchase',
        entityId: required(registration?.id, 'registration'),
        data: { verification: 'pending' },
      });
    }

    const [client] = await tx.insert(oemClients).values(DEMO_OEM_CLIENT).returning({ id: oemClients.id });
    const centerRows = await tx
      .select({ id: serviceCenters.id, nameEn: serviceCenters.nameEn })
      .from(serviceCenters);
    const firstCenter = required(
      centerRows.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[0].nameEn)?.id,
      'service center 0',
    );
    const scopeOf = (role: Role) => ({
      dealerId: role === 'dealer' ? required(dealerRows[0]?.id, 'dealer 0') : null,
      serviceCenterId: role === 'technician' ? firstCenter : null,
      oemClientId: role === 'oem' ? required(client?.id, 'OEM client') : null,
      endUserId: role === 'customer' ? required(endUserRows[0]?.id, 'end user 0') : null,
    });
    for (const account of DEMO_ACCOUNTS) {
      const userId = randomUUID();
      await tx.insert(users).values({
        id: userId,
        name: account.name,
        email: account.email,
        emailVerified: true,
        role: account.role,
        ...scopeOf(account.role),
      });
      await tx.insert(accounts).values({
        id: randomUUID(),
        accountId: userId,
        providerId: CREDENTIAL_PROVIDER,
        userId,
        password: passwordHash,
      });
    }
    const [policy] = await tx
      .select({ id: policyVersions.id })
      .from(policyVersions)
      .where(lte(policyVersions.effectiveFrom, today.toString()))
      .orderBy(desc(policyVersions.effectiveFrom))
      .limit(1);
    const oemUser = DEMO_ACCOUNTS.find((a) => a.role === 'oem')?.email ?? 'oem';
    const clientId = required(client?.id, 'OEM client');
    const prices = await tx
      .insert(oemPriceListEntries)
      .values(
        DEMO_PRICE_LIST.map((p) => ({
          clientId,
          productId: productId(p.sku),
          unitPriceMinor: p.amountMinor,
          currency: 'CNY',
          effectiveFrom: today.subtract({ days: p.daysAgo }).toString(),
          createdBy: 'system',
        })),
      )
      .returning();
    const lotRows = await tx
      .insert(lots)
      .values(
        DEMO_LOTS.map((l) => ({
          productId: productId(l.sku),
          code: l.code,
          quantity: l.quantity,
          madeOn: today.subtract({ days: l.madeDaysAgo }).toString(),
          createdBy: 'system',
        })),
      )
      .returning();
    for (const demo of [DEMO_OEM_ORDER, DEMO_FLAGGED_OEM_ORDER, DEMO_REVIEW_OEM_ORDER]) {
      const deliveryDate = today.subtract({ days: demo.deliveredDaysAgo });
      const orderedOn = deliveryDate.subtract({ days: 30 });
      // The price in force on the order's day: the older version for orders placed before the rise.
      const price = prices
        .filter((p) => p.productId === productId(demo.sku) && p.effectiveFrom <= orderedOn.toString())
        .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
      const [order] = await tx
        .insert(oemOrders)
        .values({
          orderNumber: demo.orderNumber,
          clientId,
          productId: productId(demo.sku),
          quantity: demo.quantity,
          spareRateBps: demo.spareRateBps,
          spareUnits: demo.spareUnits,
          deliveryDate: deliveryDate.toString(),
          lots: [...demo.lots],
          lotDetails: demo.lotDetails.map((l) => ({ ...l })),
          unitPriceMinor: demo.unitPrice.amountMinor,
          currency: demo.unitPrice.currency,
          policyVersionId: policy?.id ?? null,
          createdBy: 'system',
          state: 'confirmed',
          orderedOn: orderedOn.toString(),
          priceListEntryId: price?.id ?? null,
          confirmedBy: 'system',
          confirmedAt: new Date(`${orderedOn.add({ days: 1 }).toString()}T02:00:00Z`),
        })
        .returning({ id: oemOrders.id, clientId: oemOrders.clientId, productId: oemOrders.productId });
      const placed = required(order, demo.orderNumber);
      for (const l of demo.lotDetails) {
        const lot = required(
          lotRows.find((r) => r.code === l.lot),
          `lot ${l.lot}`,
        );
        await tx.insert(lotAllocations).values({
          lotId: lot.id,
          orderId: placed.id,
          clientId,
          units: l.units,
          createdBy: 'system',
        });
        await tx
          .update(lots)
          .set({ shippedOn: deliveryDate.subtract({ days: 7 }).toString() })
          .where(eq(lots.id, lot.id));
      }
      await tx.insert(oemDefectReports).values(
        demo.defects.map((d) => ({
          orderId: placed.id,
          clientId: placed.clientId,
          productId: placed.productId,
          lot: d.lot,
          units: d.units,
          serials: 'serials' in d ? [...d.serials] : [],
          failureMode: d.failureMode,
          reportedOn: today.subtract({ days: d.daysAgo }).toString(),
          reportedBy: `demo:${oemUser}`,
          source: 'api' as const,
          // The older reports were reviewed and accepted whole; the newest waits for QA.
          acceptedUnits: 'awaitingQa' in d ? 0 : d.units,
          reviewedBy: 'awaitingQa' in d ? null : 'system',
          reviewBasis: 'awaitingQa' in d ? null : ('evidence' as const),
        })),
      );
    }
    // The reports above pushed the flagged lot over the line: QA gets the early warning's notice, as
    // reporting them through the API would have sent it (no investigation yet: QA opens it in the demo).
    await flagCrossedLots(
      tx,
      new Map(lotRows.map((l) => [`${l.productId} ${l.code}`, { productId: l.productId, lot: l.code }])),
      new Set(),
    );
    await tx.insert(oemOrders).values({
      orderNumber: DEMO_REQUESTED_OEM_ORDER.orderNumber,
      clientId,
      productId: productId(DEMO_REQUESTED_OEM_ORDER.sku),
      quantity: DEMO_REQUESTED_OEM_ORDER.quantity,
      spareRateBps: 0,
      spareUnits: 0,
      deliveryDate: today.add({ days: DEMO_REQUESTED_OEM_ORDER.wantedInDays }).toString(),
      state: 'requested',
      orderedOn: today.toString(),
      createdBy: `demo:${oemUser}`,
    });

    const partRows = await tx
      .insert(parts)
      .values(
        DEMO_PARTS.map((p) => ({
          partNumber: p.partNumber,
          nameEn: p.nameEn,
          nameZh: p.nameZh,
          unitCostMinor: p.unitCostMinor,
          currency: 'CNY',
          productId: p.sku === null ? null : productId(p.sku),
        })),
      )
      .returning({ id: parts.id, partNumber: parts.partNumber, unitCostMinor: parts.unitCostMinor });

    await seedRepairs(tx, today, {
      productId,
      unitId,
      dealerIds: dealerRows.map((d) => d.id),
      parts: partRows,
    });
    await seedPolicyDraft(tx, today);

    await tx.insert(auditEvents).values({
      actor: 'system',
      action: DEMO_SEEDED_ACTION,
      entityType: 'database',
      entityId: 'demo',
      data: { today: today.toString() },
    });
    return { seeded: true };
  });
}

type SeedTransaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The demo draft's version id: replacement within 90 days instead of 60, not in force until published. */
export const DEMO_POLICY_DRAFT_ID = 'halotek-draft-replacement-90';

/**
 * A draft policy version for the admin's Policies page to try "What if" on: the version in force today
 * with its replacement window stretched from 60 to 90 days, effective (once published) in two months.
 */
async function seedPolicyDraft(tx: SeedTransaction, today: Temporal.PlainDate): Promise<void> {
  const [inForce] = await tx
    .select({ id: policyVersions.id, document: policyVersions.document })
    .from(policyVersions)
    .where(lte(policyVersions.effectiveFrom, today.toString()))
    .orderBy(desc(policyVersions.effectiveFrom))
    .limit(1);
  if (!inForce) return;
  const document = policyVersionSchema.parse(inForce.document);
  const second = document.endUser.windows.find((w) => w.code === '60_days');
  if (!second) return;
  second.within = { days: 90 };
  for (const w of document.endUser.windows) {
    if (w.code === '7_days') continue;
    w.heading.text.en = w.heading.text.en.replaceAll('60 days', '90 days');
    w.heading.text.zh = w.heading.text.zh.replaceAll('60', '90');
  }
  document.id = DEMO_POLICY_DRAFT_ID;
  document.effectiveFrom = today.add({ months: 2 }).toString();
  await tx
    .insert(policyDrafts)
    .values({ document: policyVersionSchema.parse(document), basedOn: inForce.id, createdBy: 'system' });
}

/** The demo repairs (DEMO_REPAIRS): buyer, sale, claim decided by the policy, order and its timeline. */
async function seedRepairs(
  tx: SeedTransaction,
  today: Temporal.PlainDate,
  ids: {
    productId: (sku: string) => string;
    unitId: (serial: string) => string;
    dealerIds: string[];
    parts: { id: string; partNumber: string; unitCostMinor: number }[];
  },
): Promise<void> {
  const versions = (
    await tx
      .select({ document: policyVersions.document })
      .from(policyVersions)
      .orderBy(asc(policyVersions.effectiveFrom))
  ).map((row) => policyVersionSchema.parse(row.document));
  const centers = await tx.select().from(serviceCenters);
  const zone = 'Asia/Shanghai';
  /** A moment on a past day, at a working hour in the store's zone (every demo center is in China). */
  const at = (daysAgo: number, hour: number): Date =>
    new Date(
      today
        .subtract({ days: daysAgo })
        .toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from({ hour }) }).epochMilliseconds,
    );
  const dayOf = (daysAgo: number) => today.subtract({ days: daysAgo }).toString();
  const salesOf: { purchaseId: string; endUserId: string; purchaseDate: Temporal.PlainDate }[] = [];

  const claimOfRepair: string[] = [];
  for (const r of DEMO_REPAIRS) {
    const center = required(
      centers.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[r.center].nameEn),
      `service center ${r.center}`,
    );
    const [buyer] = await tx.insert(endUsers).values(r.buyer).returning({ id: endUsers.id });
    const endUserId = required(buyer?.id, `buyer ${r.buyer.name}`);
    const purchaseDate = today.subtract({ days: r.purchaseDaysAgo });
    const [sale] = await tx
      .insert(purchases)
      .values({
        productId: ids.productId(r.unit.sku),
        unitId: ids.unitId(r.unit.serial),
        dealerId: required(ids.dealerIds[r.dealer], `dealer ${r.dealer}`),
        endUserId,
        purchaseDate: purchaseDate.toString(),
        buyerName: r.buyer.name,
        buyerEmail: r.buyer.email,
        buyerPhone: r.buyer.phone,
        createdAt: at(r.purchaseDaysAgo, 11),
      })
      .returning({ id: purchases.id });
    salesOf.push({ purchaseId: required(sale?.id, `sale to ${r.buyer.name}`), endUserId, purchaseDate });
    const reportedOn = today.subtract({ days: r.reportedDaysAgo });
    const decided = decide(versions, {
      customerType: 'end_user',
      purchaseDate,
      reportDate: reportedOn,
      cause: 'quality',
    });
    if (!decided.ok) throw new Error(`seed data is inconsistent: ${decided.error.message}`);
    const remedy = REMEDY_OF_MODE[r.mode];
    if (!decided.value.remedies.some((m) => m.code === remedy)) {
      throw new Error(`seed data is inconsistent: ${remedy} is not offered to ${r.buyer.name}`);
    }
    const reportedAt = at(r.reportedDaysAgo, 9);
    const [claim] = await tx
      .insert(claims)
      .values({
        purchaseId: required(sale?.id, `sale to ${r.buyer.name}`),
        endUserId,
        reportedOn: reportedOn.toString(),
        cause: 'quality',
        description: r.description,
        decision: decided.value,
        policyVersionId: decided.value.policyVersion,
        chosenRemedy: remedy,
        status: 'remedy_chosen',
        version: 2,
        createdAt: reportedAt,
        updatedAt: reportedAt,
      })
      .returning({ id: claims.id });
    const claimId = required(claim?.id, `claim of ${r.buyer.name}`);
    claimOfRepair.push(claimId);

    const receivedOn = r.receivedDaysAgo === null ? null : today.subtract({ days: r.receivedDaysAgo });
    const dueOn = receivedOn
      ? serviceCommitmentDueOn(receivedOn, center.committedServiceDays, {
          businessDays: center.businessDays,
          closedOn: center.closedOn,
          openOn: center.openOn,
        })
      : null;
    if (dueOn && 'code' in dueOn) throw new Error(`seed data is inconsistent: ${dueOn.message}`);
    if (r.overdue && (!dueOn || Temporal.PlainDate.compare(dueOn, today) >= 0)) {
      throw new Error(`seed data is inconsistent: ${r.buyer.name}'s order is not past its commitment`);
    }
    // Past its commitment: the deadline job reminded (the day before) and escalated it (the day after).
    const daysPastDue = dueOn ? dueOn.until(today).days : 0;
    const reminders =
      r.overdue && dueOn
        ? { dueReminderSentAt: at(daysPastDue + 1, 8), escalatedAt: at(daysPastDue - 1, 8) }
        : null;
    const path = REPAIR_PATHS[r.state];
    const issuedAt = at(r.reportedDaysAgo, 10);
    const updatedAt = path.length === 0 ? issuedAt : at(r.receivedDaysAgo ?? r.reportedDaysAgo, 15);
    const number = String(
      scalarOf(await tx.execute(sql`select nextval('maintenance_number_seq')::text as n`), 'n'),
    );
    const [order] = await tx
      .insert(maintenanceOrders)
      .values({
        claimId,
        maintenanceNumber: maintenanceNumberFor(BigInt(number)),
        serviceCenterId: center.id,
        mode: r.mode,
        state: r.state,
        receivedOn: receivedOn?.toString() ?? null,
        dueOn: dueOn?.toString() ?? null,
        customerCity: DEMO_SERVICE_CENTERS[r.center].city.toLowerCase(),
        contactedOn: r.contactedDaysAgo === null ? null : dayOf(r.contactedDaysAgo),
        ...reminders,
        version: 1 + path.length,
        createdAt: issuedAt,
        updatedAt,
      })
      .returning({ id: maintenanceOrders.id });
    const orderId = required(order?.id, `order of ${r.buyer.name}`);
    if (r.state === 'diagnosing') {
      // The parts and hours the technician recorded while diagnosing, as app/maintenance/order-work.ts writes them.
      const recordedOn = dayOf(r.receivedDaysAgo);
      await tx.insert(maintenanceOrderWork).values({
        orderId,
        labourHundredths: DEMO_REPAIR_WORK.labourHundredths,
        labourRateMinor: DEMO_REPAIR_WORK.labourRateMinor,
        currency: 'CNY',
        productId: ids.productId(r.unit.sku),
        firstRecordedOn: recordedOn,
        recordedBy: 'demo',
        createdAt: at(r.receivedDaysAgo, 16),
        updatedAt: at(r.receivedDaysAgo, 16),
      });
      const lines = DEMO_REPAIR_WORK.parts.map((line) => {
        const part = required(
          ids.parts.find((p) => p.partNumber === line.partNumber),
          line.partNumber,
        );
        return { partId: part.id, quantity: line.quantity, unitCostMinor: part.unitCostMinor };
      });
      await tx.insert(maintenanceOrderParts).values(lines.map((l) => ({ orderId, ...l, currency: 'CNY' })));
      await tx.insert(auditEvents).values({
        actor: 'demo',
        action: 'maintenance_order.work_recorded',
        entityType: 'maintenance_order',
        entityId: orderId,
        data: {
          state: r.state,
          before: { labourHundredths: 0, parts: [] },
          after: { labourHundredths: DEMO_REPAIR_WORK.labourHundredths, parts: lines },
          currency: 'CNY',
        },
        occurredAt: at(r.receivedDaysAgo, 16),
      });
    }

    // The timeline and the audit history, as the use cases would have written them.
    const events: { from: MaintenanceState | null; to: MaintenanceState; on: string; at: Date }[] = [
      { from: null, to: 'issued', on: dayOf(r.reportedDaysAgo), at: issuedAt },
    ];
    let from: MaintenanceState = 'issued';
    for (const to of path) {
      const daysAgo = to === 'received' || to === 'diagnosing' ? (r.receivedDaysAgo ?? 0) : r.reportedDaysAgo;
      events.push({ from, to, on: dayOf(daysAgo), at: at(daysAgo, to === 'diagnosing' ? 15 : 11) });
      from = to;
    }
    for (const e of events) {
      await tx.insert(maintenanceOrderEvents).values({
        orderId,
        kind: 'move',
        fromState: e.from,
        toState: e.to,
        on: e.on,
        at: e.at,
        actor: 'demo',
        note: null,
      });
      await tx.insert(auditEvents).values({
        actor: 'demo',
        action: e.from === null ? 'maintenance_order.issued' : 'maintenance_order.moved',
        entityType: 'maintenance_order',
        entityId: orderId,
        data:
          e.from === null
            ? { claimId, mode: r.mode, serviceCenterId: center.id }
            : { from: e.from, to: e.to, on: e.on },
        occurredAt: e.at,
      });
    }
    if (r.contactedDaysAgo !== null) {
      const contactedAt = at(r.contactedDaysAgo, 16);
      await tx.insert(maintenanceOrderEvents).values({
        orderId,
        kind: 'contact',
        fromState: r.state,
        toState: r.state,
        on: dayOf(r.contactedDaysAgo),
        at: contactedAt,
        actor: 'demo',
        note: 'Called the customer: the unit arrived and inspection starts tomorrow.',
      });
    }
    if (reminders) {
      for (const [action, occurredAt] of [
        ['maintenance_order.commitment_reminded', reminders.dueReminderSentAt],
        ['maintenance_order.commitment_escalated', reminders.escalatedAt],
      ] as const) {
        await tx.insert(auditEvents).values({
          actor: 'system',
          action,
          entityType: 'maintenance_order',
          entityId: orderId,
          data: { dueOn: dueOn?.toString() ?? null, state: r.state },
          occurredAt,
        });
      }
    }
  }
  await seedConversations(tx, claimOfRepair, at);
  await seedServiceHistory(tx, { today, versions, centers, sales: salesOf, at, dayOf });
}

/** The demo conversations (DEMO_CONVERSATIONS), as the use cases would have written them. */
async function seedConversations(
  tx: SeedTransaction,
  claimOfRepair: readonly string[],
  at: (daysAgo: number, hour: number) => Date,
): Promise<void> {
  const technicianEmail = DEMO_ACCOUNTS.find((a) => a.role === 'technician')?.email ?? '';
  const [technician] = await tx.select({ id: users.id }).from(users).where(eq(users.email, technicianEmail));
  const technicianActor = `user:${required(technician?.id, 'the demo technician')}`;
  for (const c of DEMO_CONVERSATIONS) {
    const claimId = required(claimOfRepair[c.repair], `repair ${c.repair}`);
    const id = randomUUID();
    const last = required(c.messages.at(-1), 'a message');
    const lastPublic = [...c.messages].reverse().find((m) => m.visibility === 'public');
    const waiting = lastPublic?.author === 'customer';
    const firstWaiting = c.messages.find((m) => m.author === 'customer');
    await tx.insert(conversations).values({
      id,
      claimId,
      state: waiting ? 'waiting_for_staff' : 'waiting_for_customer',
      waitingSince: waiting && firstWaiting ? at(firstWaiting.daysAgo, firstWaiting.hour) : null,
      lastMessageAt: at(last.daysAgo, last.hour),
      // The reply address's hash needs the installation's message key, which the seed does not hold: the
      // first message written through the app sets it (conversation-records.ts, lockConversation).
      replyTokenHash: `seeded:${id}`,
      replyTokenExpiresAt: at(-180, 0),
      createdAt: at(c.messages[0].daysAgo, c.messages[0].hour),
    });
    for (const m of c.messages) {
      const when = at(m.daysAgo, m.hour);
      const author = m.author === 'customer' ? 'guest' : technicianActor;
      const [message] = await tx
        .insert(conversationMessages)
        .values({
          conversationId: id,
          authorKind: m.author === 'customer' ? 'customer' : 'staff',
          authorRole: m.author === 'customer' ? null : 'technician',
          author,
          visibility: m.visibility,
          channel: m.author === 'customer' ? 'tracking_link' : 'portal',
          body: m.body,
          createdAt: when,
        })
        .returning({ id: conversationMessages.id });
      const messageId = required(message?.id, 'a demo message');
      if (m.photo) {
        const [photo] = await tx
          .insert(uploads)
          .values({
            kind: 'photo',
            mediaType: 'image/png',
            sizeBytes: DEMO_FAULT_PNG.length,
            sha256: createHash('sha256').update(DEMO_FAULT_PNG).digest('hex'),
            originalName: m.photo,
            uploadedBy: 'guest',
            createdAt: when,
          })
          .returning({ id: uploads.id });
        const uploadId = required(photo?.id, 'a demo photo');
        await writeUploadBytes(tx, uploadId, DEMO_FAULT_PNG);
        await tx.insert(conversationAttachments).values({ messageId, uploadId });
      }
      await tx.insert(auditEvents).values({
        actor: author,
        action: 'conversation.message_posted',
        entityType: 'claim',
        entityId: claimId,
        data: {
          conversationId: id,
          messageId,
          authorKind: m.author === 'customer' ? 'customer' : 'staff',
          visibility: m.visibility,
          attachments: m.photo ? 1 : 0,
        },
        occurredAt: when,
      });
    }
  }
}

/** How many finished repairs the service-level history adds to the demo (one every six days). */
export const DEMO_SERVICE_HISTORY_ORDERS = 12;

/**
 * Twelve weeks of finished repairs at the first two demo centers, so the service-level dashboard
 * (/insight) has weeks to show — some back within the commitment, some late — and the customers'
 * ratings of a few of them (issue 19). Closed orders: no queue shows them.
 */
async function seedServiceHistory(
  tx: SeedTransaction,
  input: {
    today: Temporal.PlainDate;
    versions: ReturnType<typeof policyVersionSchema.parse>[];
    centers: (typeof serviceCenters.$inferSelect)[];
    sales: { purchaseId: string; endUserId: string; purchaseDate: Temporal.PlainDate }[];
    at: (daysAgo: number, hour: number) => Date;
    dayOf: (daysAgo: number) => string;
  },
): Promise<void> {
  const { today, versions, at, dayOf } = input;
  const [technician] = await tx
    .select({ id: users.id, serviceCenterId: users.serviceCenterId })
    .from(users)
    .where(eq(users.role, 'technician'))
    .limit(1);
  const scores = [5, 4, 5, 3, 4, 2, 5];
  const comments: Record<number, string> = {
    0: 'Fast repair and a clear explanation of what failed. Thank you!',
    3: 'Good work, but it took a few days longer than promised.',
  };
  for (let i = 0; i < DEMO_SERVICE_HISTORY_ORDERS; i++) {
    const center = required(
      input.centers.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[i % 2]?.nameEn),
      `service center ${i % 2}`,
    );
    // The demo sales of 150 and 240 days ago: each of these claims is then months after its purchase,
    // in the one-year window where a maintenance order is the remedy (a sale of 90 days ago would put
    // the later ones in the 60-day window, which offers replacement, not a repair).
    const saleIndex = i % 2 === 0 ? 0 : 2;
    const sale = required(input.sales[saleIndex], `demo sale ${saleIndex}`);
    const receivedDaysAgo = 8 + i * 6;
    const returnedDaysAgo = receivedDaysAgo - (2 + ((i * 5) % 7));
    const reportedDaysAgo = receivedDaysAgo + 2;
    const contactedDaysAgo = receivedDaysAgo - (i % 3);
    const reportedOn = today.subtract({ days: reportedDaysAgo });
    const decided = decide(versions, {
      customerType: 'end_user',
      purchaseDate: sale.purchaseDate,
      reportDate: reportedOn,
      cause: 'quality',
    });
    if (!decided.ok) throw new Error(`seed data is inconsistent: ${decided.error.message}`);
    const receivedOn = today.subtract({ days: receivedDaysAgo });
    const dueOn = serviceCommitmentDueOn(receivedOn, center.committedServiceDays, {
      businessDays: center.businessDays,
      closedOn: center.closedOn,
      openOn: center.openOn,
    });
    if ('code' in dueOn) throw new Error(`seed data is inconsistent: ${dueOn.message}`);
    const [claim] = await tx
      .insert(claims)
      .values({
        purchaseId: sale.purchaseId,
        endUserId: sale.endUserId,
        reportedOn: reportedOn.toString(),
        cause: 'quality',
        description: 'Intermittent fault alarm under load.',
        decision: decided.value,
        policyVersionId: decided.value.policyVersion,
        chosenRemedy: 'maintenance_order',
        status: 'remedy_chosen',
        version: 2,
        createdAt: at(reportedDaysAgo, 9),
        updatedAt: at(reportedDaysAgo, 9),
      })
      .returning({ id: claims.id });
    const claimId = required(claim?.id, `history claim ${i}`);
    const number = String(
      scalarOf(await tx.execute(sql`select nextval('maintenance_number_seq')::text as n`), 'n'),
    );
    const path: [MaintenanceState, number][] = [
      ['received', receivedDaysAgo],
      ['diagnosing', receivedDaysAgo],
      ['repairing', returnedDaysAgo + 1],
      ['repaired', returnedDaysAgo],
      ['returned', returnedDaysAgo],
      ['closed', returnedDaysAgo],
    ];
    const [order] = await tx
      .insert(maintenanceOrders)
      .values({
        claimId,
        maintenanceNumber: maintenanceNumberFor(BigInt(number)),
        serviceCenterId: center.id,
        mode: 'walk_in',
        state: 'closed',
        receivedOn: receivedOn.toString(),
        dueOn: dueOn.toString(),
        contactedOn: dayOf(contactedDaysAgo),
        returnedOn: dayOf(returnedDaysAgo),
        customerCity: center.city.toLowerCase(),
        version: 1 + path.length,
        createdAt: at(reportedDaysAgo, 10),
        updatedAt: at(returnedDaysAgo, 17),
      })
      .returning({ id: maintenanceOrders.id });
    const orderId = required(order?.id, `history order ${i}`);
    let from: MaintenanceState = 'issued';
    for (const [to, daysAgo] of [['issued', reportedDaysAgo], ...path] as [MaintenanceState, number][]) {
      const isIssue = to === 'issued';
      await tx.insert(maintenanceOrderEvents).values({
        orderId,
        kind: 'move',
        fromState: isIssue ? null : from,
        toState: to,
        on: dayOf(daysAgo),
        at: at(daysAgo, isIssue ? 10 : 14),
        actor: 'demo',
        note: null,
      });
      await tx.insert(auditEvents).values({
        actor: 'demo',
        action: isIssue ? 'maintenance_order.issued' : 'maintenance_order.moved',
        entityType: 'maintenance_order',
        entityId: orderId,
        data: isIssue
          ? { claimId, mode: 'walk_in', serviceCenterId: center.id }
          : { from, to, on: dayOf(daysAgo) },
        occurredAt: at(daysAgo, isIssue ? 10 : 14),
      });
      from = to;
    }
    const score = scores[i];
    if (score !== undefined) {
      // The customer answered the link sent with the return (its token was never kept).
      await tx.insert(satisfactionRatings).values({
        tokenHash: createHash('sha256').update(randomUUID()).digest('hex'),
        subject: 'maintenance_order',
        claimId,
        maintenanceOrderId: orderId,
        serviceCenterId: center.id,
        technicianId: technician?.serviceCenterId === center.id ? technician.id : null,
        expiresAt: at(returnedDaysAgo - 30, 17),
        score,
        comment: comments[i] ?? null,
        ratedAt: at(Math.max(0, returnedDaysAgo - 1), 19),
        createdAt: at(returnedDaysAgo, 17),
      });
    }
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`seed data is inconsistent: ${what} was not inserted`);
  return value;
}
