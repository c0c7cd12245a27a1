package io.feedhandler.perf;

import io.feedhandler.gateway.Gateway;
import io.feedhandler.gateway.GatewayContext;
import io.feedhandler.publisher.Publisher;
import io.feedhandler.publisher.PublisherContext;
import io.feedhandler.publisher.SyntheticMarket;
import io.feedhandler.subscriber.FeedStatusListener;
import io.feedhandler.subscriber.SubscriberContext;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The side of the gateway benchmark that is measured, in a process of its own (the clients' sockets
 * and the gateway's would not fit one process's file limit at 10,000 connections): a publisher at
 * {@code RATE} ticks/s over 100 instruments and a gateway subscribed to it. It prints
 * {@code port N} once serving, then answers commands on stdin: {@code memory} (heap and direct memory
 * in use after a full collection), {@code direct} (Netty's direct memory now, no collection),
 * {@code cpu} (CPU time of its threads by name), {@code stop-feed}, {@code summary}, {@code exit}.
 * Arguments: the rate, and the gateway's event loops.
 */
public final class GatewayBenchServer
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.92.1:44301|interface=127.0.0.1";

    private GatewayBenchServer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long rate = Long.parseLong(args[0]);
        final int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final Path journal = Files.createTempDirectory("feed-perf-gateway");
        final PublisherContext publisherContext = new PublisherContext()
            .transport(t -> t.channel(CHANNEL).streamId(9101).idleStrategy("backoff"))
            .journalDirectory(journal).source(new SyntheticMarket(100, 1)).rate(rate)
            .durationNanos(TimeUnit.HOURS.toNanos(1)).replayServer(null);
        final GatewayContext gatewayContext = new GatewayContext()
            .subscriber(new SubscriberContext()
                .transport(t -> t.channel(CHANNEL).streamId(9101).idleStrategy("backoff")).recovery(false))
            .name("gateway-bench").port(0).ioThreads(ioThreads).reconnectsPerSecond(0).maxConnections(20_000)
            .slowClientTimeoutNanos(TimeUnit.SECONDS.toNanos(3));
        try (Gateway gateway = Gateway.launch(gatewayContext, FeedStatusListener.NONE))
        {
            Publisher publisher = Publisher.launch(publisherContext);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!gateway.isReady() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            System.out.println("port " + gateway.port());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !command.equals("exit"))
            {
                switch (command)
                {
                    case "memory" -> System.out.println("memory " + memory());
                    case "direct" -> System.out.println("direct " + directMemory());
                    case "cpu" -> System.out.println("cpu " + cpu());
                    case "stop-feed" ->
                    {
                        if (publisher != null)
                        {
                            publisher.stop();
                            publisher.awaitCompletion(10, TimeUnit.SECONDS);
                            publisher.close();
                            publisher = null;
                        }
                        System.out.println("stopped");
                    }
                    case "summary" -> System.out.println("summary " + gateway.summary());
                    default -> System.out.println("unknown " + command);
                }
                System.out.flush();
            }
            if (publisher != null)
            {
                publisher.stop();
                publisher.awaitCompletion(10, TimeUnit.SECONDS);
                publisher.close();
            }
        }
        finally
        {
            try (java.util.stream.Stream<Path> files = Files.walk(journal))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Heap and direct memory in use after a full collection, in bytes: "HEAP DIRECT". */
    private static String memory() throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(200);
        }
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return heap + " " + directMemory();
    }

    private static long directMemory()
    {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() +
            Math.max(0, PlatformDependent.usedDirectMemory());
    }

    /**
     * CPU time by thread name with its numbers taken out (the event loops together, the publisher,
     * the subscriber...), and the whole process: "total=N name=N ...", nanoseconds.
     */
    private static String cpu()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<String, Long> byName = new TreeMap<>();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null)
            {
                final long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0)
                {
                    byName.merge(info.getThreadName().replaceAll("[0-9]+", "").replaceAll("[^A-Za-z]+$", "")
                        .replace(' ', '-').replace('=', '-'), nanos, Long::sum);
                }
            }
        }
        final StringBuilder line = new StringBuilder("total=")
            .append(ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L));
        byName.forEach((name, nanos) -> line.append(' ').append(name).append('=').append(nanos));
        return line.toString();
    }
}
