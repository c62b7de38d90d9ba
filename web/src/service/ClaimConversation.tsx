import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LoadError } from '../components/Status.js';
import { ConversationPanel } from './ConversationPanel.js';
import { conversationQuery, postMessage } from './conversation-api.js';

/** A claim's conversation for someone signed in: the customer on their claim, staff on the claim or order. */
export function ClaimConversation({ claimId, reader }: { claimId: string; reader: 'customer' | 'staff' }) {
  const queryClient = useQueryClient();
  const conversation = useQuery(conversationQuery(claimId));
  if (conversation.isError) {
    return <LoadError error={conversation.error} onRetry={() => void conversation.refetch()} />;
  }
  if (!conversation.data) return null;
  return (
    <ConversationPanel
      conversation={conversation.data}
      reader={reader}
      send={(draft) => postMessage(claimId, draft)}
      onSent={(view) => {
        queryClient.setQueryData(conversationQuery(claimId).queryKey, view);
        // A reply may have recorded the contact on the order, and changes the queue.
        void queryClient.invalidateQueries({ queryKey: ['conversation', 'waiting'] });
        void queryClient.invalidateQueries({ queryKey: ['service'] });
      }}
    />
  );
}
