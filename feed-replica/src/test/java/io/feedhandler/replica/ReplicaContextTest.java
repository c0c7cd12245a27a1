package io.feedhandler.replica;

import io.feedhandler.subscriber.SlowConsumerPolicy;
import io.feedhandler.subscriber.SubscriberContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal names its value; what is accepted makes a subscriber that journals every tick. */
class ReplicaContextTest
{
    @TempDir
    Path dir;

    private ReplicaContext context()
    {
        return new ReplicaContext().journalDirectory(dir)
            .subscriber(new SubscriberContext().transport(t -> t.channel(ReplicaJournalTest.CHANNEL).streamId(1001))
                .replayChannel(ReplicaJournalTest.UPSTREAM));
    }

    @Test
    void aReplicaFollowsEverythingAndLosesNothing()
    {
        final ReplicaContext context = context().conclude();
        assertTrue(context.subscriber().recovery());
        assertTrue(context.subscriber().lostIsFatal(), "a hole would part its history from the upstream's");
        assertEquals(25, context.maxBatchTicks(), "one datagram of the live channel, as the publisher's batches");
        assertEquals(ReplicaConfiguration.SERVE_CHANNEL, context.server().replayChannel());
    }

    @Test
    void eachRefusalNamesItsValue()
    {
        refused(c -> c.journalDirectory(null), "bad --journal");
        refused(c -> c.subscriber().instruments(List.of("AAPL")), "bad --instrument AAPL");
        refused(c -> c.subscriber().snapshot(true), "bad --snapshot");
        refused(c -> c.subscriber().slowConsumer(SlowConsumerPolicy.CONFLATE), "bad --slow-consumer conflate");
        refused(c -> c.subscriber().recovery(false), "bad --no-recovery");
        refused(c -> c.subscriber().count(10), "bad --count 10");
        refused(c -> c.subscriber().journalDirectory(dir), "a replica pulls from its upstream");
        refused(c -> c.server().replayChannel("aeron:udp?endpoint=127.0.0.1:40457|mtu=8192"),
            "bad --serve-channel 'aeron:udp?endpoint=127.0.0.1:40457|mtu=8192': it is an upstream in --replay-channel");
        refused(c -> c.server().replayChannel("aeron:udp?nothing=1"), "bad --serve-channel");
        refused(c -> c.server().maxSessions(0), "bad --max-sessions 0");
        refused(c -> c.maxBatchTicks(-1), "--max-batch-ticks");
        refused(c -> c.retainCycles(-1), "--retain-cycles");
        refused(c -> c.minFreeDiskBytes(1), "--min-free-disk");
        refused(c -> c.subscriber().transport().channel("aeron:udp?endpoint=239.255.77.2:40456|interface=127.0.0.1"), "--channel");
    }

    private void refused(final Consumer<ReplicaContext> change, final String message)
    {
        final ReplicaContext context = context();
        change.accept(context);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }
}
