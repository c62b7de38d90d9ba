import { Fieldset, NativeSelect, SimpleGrid, Text, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { CalendarLength } from '../../../../src/domain/calendar.js';
import { productCategories } from '../../../../src/domain/reference-data.js';
import { createProductRequestSchema } from '../../../../src/http/catalog/schemas.js';
import { formatLength } from '../../format.js';
import { policyLanguage } from '../../i18n/index.js';
import { productsQuery } from '../../queries.js';
import { createProduct, fetchAdminProducts, type Product, updateProduct } from '../../reference-data.js';
import { EntityAdmin, type FormProps } from './EntityAdmin.js';
import { numberOf } from './fields.js';

type Category = (typeof productCategories)[number];
type Draft = {
  sku: string;
  nameEn: string;
  nameZh: string;
  category: Category;
  years: string;
  months: string;
  days: string;
};

const emptyDraft: Draft = {
  sku: '',
  nameEn: '',
  nameZh: '',
  category: 'dc_power_panel',
  years: '',
  months: '',
  days: '',
};

/** Empty parts are left out; all empty means the policy's own warranty (null). */
function overrideOf(d: Draft): CalendarLength | null {
  const parts = { years: d.years, months: d.months, days: d.days };
  const given = Object.entries(parts).filter(([, v]) => v.trim() !== '');
  if (given.length === 0) return null;
  return Object.fromEntries(given.map(([k, v]) => [k, numberOf(v)]));
}

const productsAdminQueryKey = ['admin', 'products'] as const;

function ProductForm({ draft, onChange, errors }: FormProps<Draft>) {
  const { t } = useTranslation();
  const text = (key: Exclude<keyof Draft, 'category'>) => ({
    name: key,
    value: draft[key],
    error: errors[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      onChange({ ...draft, [key]: e.currentTarget.value });
    },
  });
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('admin.products.sku')}
          description={t('admin.products.skuHint')}
          required
          {...text('sku')}
        />
        <NativeSelect
          name="category"
          label={t('admin.products.category')}
          required
          value={draft.category}
          onChange={(e) => {
            const category = productCategories.find((c) => c === e.currentTarget.value);
            if (category) onChange({ ...draft, category });
          }}
          data={productCategories.map((c) => ({ value: c, label: t(`category.${c}`) }))}
        />
        <TextInput label={t('admin.fields.nameEn')} required lang="en" {...text('nameEn')} />
        <TextInput label={t('admin.fields.nameZh')} required lang="zh-CN" {...text('nameZh')} />
      </SimpleGrid>
      <Fieldset legend={t('admin.products.warranty')} variant="unstyled">
        <Text size="sm" c="dimmed" mb="xs">
          {t('admin.products.warrantyHint')}
        </Text>
        <SimpleGrid cols={3}>
          <TextInput type="number" min={0} label={t('admin.products.years')} {...text('years')} />
          <TextInput type="number" min={0} label={t('admin.products.months')} {...text('months')} />
          <TextInput type="number" min={0} label={t('admin.products.days')} {...text('days')} />
        </SimpleGrid>
        {errors.warrantyOverride && (
          <Text c="red.9" size="sm" mt={4}>
            {errors.warrantyOverride}
          </Text>
        )}
      </Fieldset>
    </>
  );
}

export function ProductsPage() {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  return (
    <EntityAdmin<Product, Draft, z.infer<typeof createProductRequestSchema>>
      title={t('admin.products.title')}
      intro={t('admin.products.intro')}
      queryKey={productsAdminQueryKey}
      alsoInvalidate={[productsQuery.queryKey]}
      fetchRows={fetchAdminProducts}
      rowName={(p) => p.sku}
      columns={[
        { header: t('admin.products.sku'), cell: (p) => p.sku },
        { header: t('admin.fields.name'), cell: (p) => (lang === 'zh' ? p.nameZh : p.nameEn) },
        { header: t('admin.products.category'), cell: (p) => t(`category.${p.category}`) },
        {
          header: t('admin.products.warranty'),
          cell: (p) =>
            p.warrantyOverride ? formatLength(p.warrantyOverride, t) : t('admin.products.policyWarranty'),
        },
      ]}
      emptyDraft={emptyDraft}
      draftOf={(p) => ({
        sku: p.sku,
        nameEn: p.nameEn,
        nameZh: p.nameZh,
        category: p.category,
        years: p.warrantyOverride?.years === undefined ? '' : String(p.warrantyOverride.years),
        months: p.warrantyOverride?.months === undefined ? '' : String(p.warrantyOverride.months),
        days: p.warrantyOverride?.days === undefined ? '' : String(p.warrantyOverride.days),
      })}
      parse={(d) =>
        createProductRequestSchema.safeParse({
          sku: d.sku.trim().toUpperCase(),
          nameEn: d.nameEn,
          nameZh: d.nameZh,
          category: d.category,
          warrantyOverride: overrideOf(d),
        })
      }
      create={createProduct}
      update={updateProduct}
      Form={ProductForm}
    />
  );
}
