package io.feedhandler.dist;

import io.feedhandler.codecs.SummaryJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive as a user gets it: unpacked in a directory of its own, run with nothing but a JDK
 * (JAVA_HOME and a bare PATH), from another working directory.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DistributionIT
{
    static final String CHANNEL = "aeron:udp?endpoint=239.255.80.11:43011|interface=127.0.0.1";

    @TempDir
    static Path unpacked;

    static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void unpack() throws Exception
    {
        final Path archive = Path.of(System.getProperty("feed.distribution"));
        assertTrue(Files.isRegularFile(archive), "no archive at " + archive + " (mvn package builds it)");
        final Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
            .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        home = unpacked.resolve("feed-" + System.getProperty("feed.version"));
    }

    @Test
    void theLayoutHasTheLauncherTheJarsTheConfigurationAndTheDocs() throws IOException
    {
        assertTrue(Files.isExecutable(home.resolve("bin/feed")), "bin/feed is executable");
        final List<String> jars = list(home.resolve("lib"));
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("feed-cli-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("logback-classic-")), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("slf4j-simple")), "one logging backend: " + jars);
        // One list of JVM flags: the archive's is the one scripts/feed uses in the source tree.
        final Path repo = Path.of(System.getProperty("feed.repo.root"));
        final String jvmOptions = Files.readString(home.resolve("conf/jvm.options"));
        assertTrue(jvmOptions.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), jvmOptions);
        assertEquals(Files.readString(repo.resolve("feed-cli/target/jvm.options")), jvmOptions);
        assertTrue(Files.isRegularFile(home.resolve("conf/logback.xml")));
        for (final String doc : List.of("README.md", "docs/CONFIGURATION.md", "docs/ARCHITECTURE.md",
            "docs/BENCHMARKS.md", "docs/SECURITY.md"))
        {
            assertTrue(Files.isRegularFile(home.resolve(doc)), doc);
        }
        // The examples feed-cli's ExampleConfigTest checks, all of them and unchanged.
        final Path repoConf = repo.resolve("conf");
        final List<String> examples = examples();
        assertEquals(list(repoConf).stream().filter(f -> f.endsWith(".properties")).collect(Collectors.toList()),
            examples);
        for (final String example : examples)
        {
            assertEquals(Files.readString(repoConf.resolve(example)), Files.readString(home.resolve("conf").resolve(example)),
                example);
        }
        assertTrue(examples.size() >= 8, examples.toString());
    }

    @Test
    void helpRunsWithOnlyAJdk() throws Exception
    {
        final Run help = feed("--help");
        assertEquals(0, help.exitCode, help.err);
        assertTrue(help.out.contains("Usage: feed"), help.out);
        assertTrue(help.out.contains("publish"), help.out);
        // The benchmarks stay in the source tree; the distribution's perf has the plots and says so.
        final Run perf = feed("perf", "--quick");
        assertEquals(2, perf.exitCode, perf.err);
        assertTrue(perf.err.contains("source tree") && perf.err.contains("--plot"), perf.err);
    }

    /** {@code feed perf --plot} ships: both plots of a subscriber's latency log, from the archive alone. */
    @Test
    void plotsALatencyLog() throws Exception
    {
        final Path hlog = work.resolve("sub-a.hlog");
        final long start = System.currentTimeMillis() - 3_000;
        try (io.feedhandler.subscriber.LatencyLog log = new io.feedhandler.subscriber.LatencyLog(hlog, 1000, start))
        {
            for (int second = 0; second < 3; second++)
            {
                for (int i = 0; i < 1000; i++)
                {
                    log.record(20_000 + i * (second == 0 ? 100 : 1));
                }
                log.writeIntervalIfDue(start + (second + 1) * 1000L);
            }
        }
        final Run plot = feed("perf", "--plot", hlog.toString(), "--output", work.resolve("plots").toString());
        assertEquals(0, plot.exitCode, plot.err);
        assertTrue(plot.out.contains("sub-a: count=3000"), plot.out);
        for (final String png : List.of("latency-hlog.png", "latency-over-time.png"))
        {
            final byte[] bytes = Files.readAllBytes(work.resolve("plots").resolve(png));
            assertTrue(bytes.length > 1000 && bytes[0] == (byte)0x89, png + " is a PNG");
        }
    }

    /** A real run: publish to a journal over loopback multicast, then check the journal with the journal tools. */
    @Test
    void publishesAndReadsBackAJournal() throws Exception
    {
        final Path logback = home.resolve("conf/logback.xml");
        final String original = Files.readString(logback);
        final Path journal = work.resolve("journal");
        try
        {
            // Mark the pattern, to see that conf/logback.xml is the configuration in effect.
            Files.writeString(logback, original.replace("[%level]", "dist [%level]"));
            final Run publish = feed("publish", "--count", "500", "--rate", "0", "--connect-timeout", "0s",
                "--linger", "0s", "--no-replay-server", "--journal", journal.toString(), "--channel", CHANNEL,
                "--stream", "3041");
            assertEquals(0, publish.exitCode, publish.err);
            assertEquals("500", field(publish.lastLine(), "published"), publish.out);
            assertTrue(publish.err.contains(" dist [INFO] PublishCommand - configuration from defaults, command line:"),
                publish.err);
            // The default is --profile auto: the start-up line says which profile it chose, and why.
            assertTrue(publish.err.contains("profile=auto"), publish.err);
            assertTrue(java.util.regex.Pattern.compile("profile [a-z-]+ \\(auto: ").matcher(publish.err).find(), publish.err);

            final Run digest = feed("journal", "digest", "--journal", journal.toString());
            assertEquals(0, digest.exitCode, digest.err);
            assertEquals(field(publish.lastLine(), "digest"), field(digest.lastLine(), "digest"));
        }
        finally
        {
            Files.writeString(logback, original);
        }
    }

    /**
     * An example from conf/, through the launcher, is what its command runs with. (Every example is
     * checked against its command in feed-cli's ExampleConfigTest; the archive carries the same files.)
     */
    @Test
    void anExampleConfigurationIsInEffectThroughTheLauncher() throws Exception
    {
        final Path file = home.resolve("conf/subscriber-compact.properties");
        final Run printed = feed("subscribe", "--config", file.toString(), "--print-config");
        assertEquals(0, printed.exitCode, printed.err);
        assertTrue(printed.out.contains("# from config file " + file + "\n"), printed.out);
        assertTrue(printed.out.contains("\nprofile=compact\n"), printed.out);
    }

    private static List<String> examples() throws IOException
    {
        return list(home.resolve("conf")).stream().filter(f -> f.endsWith(".properties")).collect(Collectors.toList());
    }

    private static List<String> list(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** A value of a summary line, as text; empty when it has none. */
    private static String field(final String json, final String key)
    {
        final Object value = SummaryJson.parse(json).find(key);
        return value == null ? "" : value.toString();
    }

    /** bin/feed with an environment of JAVA_HOME and a bare PATH, from a working directory of its own. */
    private Run feed(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/feed").toString());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        final Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        final Path out = Files.createTempFile(work, "out", ".txt");
        final Path err = Files.createTempFile(work, "err", ".txt");
        final Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not finish in 90 s; stderr:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Run(int exitCode, String out, String err)
    {
        String lastLine()
        {
            final String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }
}
