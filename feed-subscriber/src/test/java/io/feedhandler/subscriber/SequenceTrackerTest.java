package io.feedhandler.subscriber;

import org.junit.jupiter.api.Test;

import static io.feedhandler.subscriber.SequenceTracker.Outcome.DUPLICATE;
import static io.feedhandler.subscriber.SequenceTracker.Outcome.FIRST;
import static io.feedhandler.subscriber.SequenceTracker.Outcome.GAP;
import static io.feedhandler.subscriber.SequenceTracker.Outcome.NEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceTrackerTest
{
    private final SequenceTracker tracker = new SequenceTracker();

    @Test
    void firstSequenceStartsTheStream()
    {
        assertFalse(tracker.started());
        assertEquals(FIRST, tracker.classify(500));
        tracker.delivered(500);
        assertTrue(tracker.started());
        assertEquals(501, tracker.expected());
    }

    @Test
    void classifiesAgainstTheNextExpected()
    {
        tracker.expect(10);
        assertEquals(NEXT, tracker.classify(10));
        tracker.delivered(10);
        assertEquals(DUPLICATE, tracker.classify(10));
        assertEquals(DUPLICATE, tracker.classify(3));
        assertEquals(GAP, tracker.classify(15));
        assertEquals(11, tracker.gapFrom());
        assertEquals(14, tracker.gapTo());
        assertEquals(11, tracker.expected(), "classifying does not move the stream");
    }
}
