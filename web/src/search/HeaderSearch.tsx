import { TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../session.js';
import { maySearch, SEARCH_MAX } from './search-api.js';

/** The staff search box in the header: Enter opens the results page. Shown to the roles that may search. */
export function HeaderSearch() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  if (!maySearch(me.data?.role)) return null;
  return (
    <form
      role="search"
      aria-label={t('search.label')}
      className="header-search"
      onSubmit={(event) => {
        event.preventDefault();
        const q = text.trim();
        if (q) void navigate(`/search?q=${encodeURIComponent(q)}`);
      }}
    >
      <TextInput
        size="xs"
        type="search"
        name="q"
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        maxLength={SEARCH_MAX}
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
        }}
      />
    </form>
  );
}
