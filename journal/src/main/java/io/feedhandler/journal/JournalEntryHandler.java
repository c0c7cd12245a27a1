package io.feedhandler.journal;

import org.agrona.DirectBuffer;

/** Receives one journal entry: a quote batch, exactly the bytes that went on the wire. */
@FunctionalInterface
public interface JournalEntryHandler
{
    /**
     * @param sequence the first sequence of the batch (0 if the entry is not a quote batch).
     * @param buffer   a view of the entry, valid only during the call.
     * @return true when the entry was taken; false leaves it to be read again by the next read
     *         (for a consumer that could not take it now, such as a back-pressured publication).
     */
    boolean onEntry(long sequence, DirectBuffer buffer, int offset, int length);
}
