import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskErrorAlert } from '../desk/ui.js';

export type Decision = 'approved' | 'rejected';

const decisions = ['approved', 'rejected'] as const;

/** A row's two buttons that open the dialog: approve (the filled one) and reject. */
export function DecisionButtons({
  label,
  namedLabel,
  onChoose,
}: {
  /** The button's visible word for a decision. */
  label: (decision: Decision) => string;
  /** Its accessible name, naming the row, since a table holds many such pairs. */
  namedLabel: (decision: Decision) => string;
  onChoose: (decision: Decision) => void;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      {decisions.map((decision) => (
        <Button
          key={decision}
          size="compact-sm"
          variant={decision === 'approved' ? 'filled' : 'default'}
          aria-label={namedLabel(decision)}
          onClick={() => {
            onChoose(decision);
          }}
        >
          {label(decision)}
        </Button>
      ))}
    </Group>
  );
}

/**
 * Approving or rejecting something a person must decide (a reimbursement, a held payout): what is
 * decided above, a reason that a rejection requires because the other party reads it, and the one
 * button. `decide` sends it; `decidedElsewhere` tells a colleague's earlier decision from an error,
 * which closes the dialog for the page to say so.
 */
export function DecisionDialog<T>({
  title,
  decision,
  labels,
  decide,
  decidedElsewhere,
  onClose,
  onDecided,
  onConflict,
  children,
}: {
  title: string;
  decision: Decision;
  labels: { reason: string; note: string; hint: string; required: string; submit: string };
  decide: (reason: string | undefined) => Promise<T>;
  decidedElsewhere: (error: Error) => boolean;
  onClose: () => void;
  onDecided: (decided: T) => Promise<void> | void;
  onConflict: () => Promise<void> | void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const mutation = useMutation({
    mutationFn: () => decide(reason.trim() || undefined),
    onSuccess: onDecided,
    onError: async (error) => {
      if (decidedElsewhere(error)) await onConflict();
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (decision === 'rejected' && reason.trim() === '') {
      setMissing(true);
      return;
    }
    mutation.mutate();
  };
  return (
    <Modal
      opened
      centered
      size="lg"
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={title}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {mutation.isError && <DeskErrorAlert error={mutation.error} />}
          {children}
          <Textarea
            name="reason"
            label={decision === 'rejected' ? labels.reason : labels.note}
            description={labels.hint}
            required={decision === 'rejected'}
            autosize
            minRows={3}
            value={reason}
            error={missing ? labels.required : undefined}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setMissing(false);
            }}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={decision === 'rejected' ? 'red' : undefined}
              loading={mutation.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {labels.submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
