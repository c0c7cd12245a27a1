package io.feedhandler.journal;

import org.agrona.DirectBuffer;

/** Receives one journal entry: the encoded message exactly as it went on the wire. */
@FunctionalInterface
public interface JournalEntryHandler
{
    /**
     * @param sequence the quote's stream sequence.
     * @param buffer   a view of the entry, valid only during the call.
     */
    void onEntry(long sequence, DirectBuffer buffer, int offset, int length);
}
