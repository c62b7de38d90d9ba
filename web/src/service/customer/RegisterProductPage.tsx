import {
  Anchor,
  Button,
  Card,
  FileInput,
  NativeSelect,
  Radio,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { storeToday } from '../../format.js';
import { dealerName } from '../../parties.js';
import { ApiErrorAlert } from '../../components/Status.js';
import { productsQuery } from '../../queries.js';
import { PageHeading, useLanguages } from '../common.js';
import {
  dealerDirectoryQuery,
  purchasesQuery,
  registerPurchase,
  uploadProofOfPurchase,
} from '../service-api.js';

type Identify = 'serial' | 'product';

/**
 * A customer registers a product bought without the dealer recording the sale: the serial number (or
 * the product), the purchase date, the dealer if known and a photo or PDF of the receipt.
 */
export function RegisterProductPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const products = useQuery(productsQuery);
  // Any dealer of the maker, by name and city: the shop may be one they never bought from before.
  const directory = useQuery(dealerDirectoryQuery);
  const [identify, setIdentify] = useState<Identify>('serial');
  const [serial, setSerial] = useState('');
  const [sku, setSku] = useState('');
  const [purchaseDate, setPurchaseDate] = useState('');
  const [dealerId, setDealerId] = useState('');
  const [proof, setProof] = useState<File | null>(null);
  // The receipt goes up once: a retry after a refused registration reuses the stored file.
  const uploaded = useRef<{ file: File; id: string } | null>(null);

  const register = useMutation({
    mutationFn: async () => {
      if (!proof) throw new Error(t('service.register.proofRequired'));
      if (uploaded.current?.file !== proof) {
        const stored = await uploadProofOfPurchase(proof);
        uploaded.current = { file: proof, id: stored.id };
      }
      return registerPurchase({
        ...(identify === 'serial' ? { serial: serial.trim() } : { sku }),
        purchaseDate,
        ...(dealerId ? { dealerId } : {}),
        proofUploadId: uploaded.current.id,
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: purchasesQuery.queryKey });
      await navigate('/my-products', { state: { registered: true } });
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!register.isPending) register.mutate();
  };

  return (
    <Stack gap="lg" maw={640}>
      <PageHeading title={t('service.register.title')} intro={t('service.register.intro')} />
      <Card withBorder padding="lg">
        <form onSubmit={submit}>
          <Stack gap="md">
            {register.isError && (
              <ApiErrorAlert error={register.error} fallbackTitle={t('service.register.failed')} />
            )}
            <Radio.Group
              name="identify"
              label={t('service.register.identify')}
              value={identify}
              onChange={(value) => {
                setIdentify(value === 'product' ? 'product' : 'serial');
              }}
            >
              <Stack gap="xs" mt="xs">
                <Radio value="serial" label={t('service.register.bySerial')} />
                <Radio value="product" label={t('service.register.byProduct')} />
              </Stack>
            </Radio.Group>
            {identify === 'serial' ? (
              <TextInput
                name="serial"
                label={t('service.fields.serial')}
                description={t('service.register.serialHint')}
                required
                value={serial}
                onChange={(e) => {
                  setSerial(e.currentTarget.value);
                }}
              />
            ) : (
              <NativeSelect
                name="sku"
                label={t('service.fields.product')}
                required
                value={sku}
                onChange={(e) => {
                  setSku(e.currentTarget.value);
                }}
                data={[
                  { value: '', label: t('service.register.chooseProduct') },
                  ...(products.data ?? []).map((p) => ({ value: p.sku, label: p.name[lang] })),
                ]}
              />
            )}
            <TextInput
              type="date"
              name="purchaseDate"
              label={t('service.fields.purchaseDate')}
              description={t('service.register.purchaseDateHint')}
              required
              max={storeToday()}
              value={purchaseDate}
              onChange={(e) => {
                setPurchaseDate(e.currentTarget.value);
              }}
            />
            <Select
              name="dealerId"
              label={t('service.register.dealer')}
              description={t('service.register.dealerHint')}
              placeholder={t('service.register.dealerUnknown')}
              searchable
              clearable
              clearButtonProps={{ 'aria-label': t('service.register.dealerClear') }}
              nothingFoundMessage={t('service.register.dealerNoMatch')}
              value={dealerId || null}
              onChange={(value) => {
                setDealerId(value ?? '');
              }}
              data={(directory.data ?? []).map((d) => ({
                value: d.id,
                label: t('service.register.dealerOption', { name: dealerName(d, lang), city: d.city }),
              }))}
            />
            <FileInput
              name="proof"
              label={t('service.register.proof')}
              description={t('service.register.proofHint')}
              placeholder={t('service.register.proofPlaceholder')}
              accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
              required
              clearable
              clearButtonProps={{ 'aria-label': t('service.register.proofClear') }}
              value={proof}
              onChange={(file) => {
                setProof(file);
                // The refusal was about the file that was missing: a chosen file answers it.
                if (file) register.reset();
              }}
            />
            <Button
              type="submit"
              loading={register.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('service.register.submit')}
            </Button>
            <Anchor component={Link} to="/my-products" size="sm">
              {t('service.backToProducts')}
            </Anchor>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
