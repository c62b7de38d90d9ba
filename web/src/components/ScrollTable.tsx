import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on a narrow screen. The scrolling box is a named, focusable region,
 * so keyboard users can scroll it too. It is the containing block of what is positioned inside it:
 * text for screen readers only (`visually-hidden`, absolutely positioned) in a cell off screen would
 * otherwise widen the whole page on a phone.
 */
export function ScrollTable({
  label,
  minWidth,
  children,
}: {
  label: string;
  minWidth: number;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer
      minWidth={minWidth}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={label}
      style={{ position: 'relative' }}
    >
      {children}
    </Table.ScrollContainer>
  );
}
