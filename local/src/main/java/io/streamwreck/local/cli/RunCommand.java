package io.streamwreck.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamwreck.local.standin.LocalStack;
import io.streamwreck.local.system.AdapterLogFiles;
import io.streamwreck.local.system.LocalSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code make run}: the whole story on one machine. Log files are put into S3 (moto) and announced to the adapter's
 * webhook, which stages their lines in PostgreSQL and writes them to the stream; a producer writes too; a two-worker
 * KCL fleet processes with simulated drift (every record whose sequence number mod N is 0 is dropped by the
 * handler, whoever wrote it), notices flow through SNS into the ledger, and the stream-checker finds the drift,
 * naming the file and line of each drifted record the adapter wrote. Ends with a table per log file (lines,
 * written, processed, drift) and by comparing what the checker found with what was simulated, and writes the
 * report as a page ({@code <state dir>/report.html}, path printed last).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the whole system on the local stack: a 4-shard stream, the notified Lambda behind the",
                "SNS topic, the checker on 127.0.0.1, two processor workers dropping one record in N, the adapter",
                "writing the lines of log files put into S3 (webhook → PostgreSQL → stream), the producer writing",
                "records, then the stream-checker's report with the writer's side, a table per log file (lines,",
                "written, processed, drift) — and whether the drift found is exactly the drift simulated. The",
                "report is also written as a page, <state dir>/report.html, whose path is printed last."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the drift found is exactly the drift simulated", "1:it is not (the differences are printed)",
                "2:usage error, or a part could not be started (a jar not built: run make build)"})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "10000", description = "Records the producer writes (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--log-files", defaultValue = "3", description = "Log files put into S3 for the adapter, every second one gzipped (default: ${DEFAULT-VALUE}; 0 runs no adapter).")
    int logFiles;

    @Option(names = "--log-lines", defaultValue = "2000", description = "Lines per log file (default: ${DEFAULT-VALUE}).")
    int logLines;

    @Option(names = "--shards", defaultValue = "4", description = "Shards of the stream (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--workers", defaultValue = "2", description = "Processor worker processes (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--simulate-skip", defaultValue = "5", description = "Workers drop records whose sequence number mod N == 0 (default: ${DEFAULT-VALUE}).")
    long skip;

    @Option(names = "--checker-port", defaultValue = "${env:CHECKER_PORT:-8080}", description = "Port of the checker on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int checkerPort;

    @Option(names = "--state-dir", defaultValue = "local/target/run", description = "Logs and audit logs go here (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--repository", defaultValue = ".", description = "The repository root, whose modules' target/ hold the jars (default: ${DEFAULT-VALUE}).")
    Path repository;

    @Override
    public Integer call() {
        if (records < 1 || shards < 1 || workers < 1 || skip < 2 || logFiles < 0 || logLines < 1) {
            throw new IllegalArgumentException("--records, --shards, --workers and --log-lines must be positive, --log-files "
                    + "not negative and --simulate-skip at least 2");
        }
        long started = System.nanoTime();
        // The Lambdas run in this JVM and write their JSON logs and EMF metrics to standard output, as on AWS:
        // keep them in a file so stdout holds only the report.
        PrintStream report = System.out;
        Path functionOutput = stateDir.resolve("lambda-output.log");
        try {
            Files.createDirectories(stateDir);
            System.setOut(new PrintStream(Files.newOutputStream(functionOutput), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + functionOutput, e);
        }
        try {
            return run(report, started);
        } finally {
            System.out.close();
            System.setOut(report);
        }
    }

    private int run(PrintStream out, long started) {
        step("starting the local stack (kinesis-local, DynamoDB Local, Redis, moto, PostgreSQL)");
        try (LocalStack stack = LocalStack.start(stateDir.resolve("stack"))) {
            step("starting the notified Lambda (SNS → SQS → handler → Redis), the checker on 127.0.0.1:" + checkerPort
                    + ", " + workers + " processor workers (--simulate-skip " + skip + ")"
                    + (logFiles > 0 ? " and the adapter (table orders → stream orders, staged in PostgreSQL)" : ""));
            try (LocalSystem system = LocalSystem.builder().stack(stack).repository(repository).workDir(stateDir)
                    .stream("orders").app("billing").shards(shards).workers(workers).simulateSkip(skip)
                    .checkerPort(checkerPort).adapter(logFiles > 0).start();
                 AdapterLogFiles logs = logFiles > 0 ? new AdapterLogFiles(system) : null) {
                List<AdapterLogFiles.LogFile> files = List.of();
                if (logs != null) {
                    step("putting " + logFiles + " log files of " + logLines + " lines into S3 (moto, bucket logs) and announcing each "
                            + "to the adapter: POST " + system.environment().get("ADAPTER_URL") + "/ingest {\"table\":\"orders\",\"s3path\":\"s3://logs/…\"}");
                    files = logs.put("logs", logFiles, logLines);
                    files.forEach(logs::announce);
                }
                Map<String, AdapterLogFiles.Staged> staged = Map.of();
                if (logs != null) {
                    // Before the producer writes: both at once overload kinesis-local on a small machine, calls time
                    // out, and a retried call that had been stored puts a record in the stream its writer never saw.
                    step("waiting for the adapter to stage and write every line");
                    staged = logs.awaitWritten(files, Duration.ofMinutes(2));
                }
                step("writing " + records + " records with producer.jar");
                List<String> written = system.produce(records);
                List<String> all = new ArrayList<>(written);
                staged.values().forEach(f -> all.addAll(f.keys()));
                step("waiting for the fleet to process, report and checkpoint every record");
                system.awaitCaughtUp(all, Duration.ofMinutes(2));
                step("running the stream-checker: java -jar stream-checker/target/stream-checker.jar --stream orders --app billing --endpoint "
                        + system.checkerUrl() + " --settle 0s" + (logs != null ? " --adapter-db $ADAPTER_DATABASE_URL" : ""));
                out.println();
                LocalSystem.CheckerRun text = system.streamChecker(List.of("--settle", "0s"));
                out.print(text.stdout());
                System.err.print(text.stderr());
                out.println();
                LocalSystem.CheckerRun json = system.streamChecker(List.of("--settle", "0s", "--format", "json"));
                if (logs != null && json.report() != null) {
                    perFile(out, files, staged, json.report());
                }
                int verdict = verdict(out, all, json.report(), logs != null);
                page(out, system);
                System.err.printf("make run: %.0f s in all; logs, audit logs and the written log in %s%n",
                        (System.nanoTime() - started) / 1e9, stateDir.toAbsolutePath());
                return verdict;
            }
        }
    }

    /**
     * Per log file: its lines, those the adapter wrote, those the fleet processed, and the drift — the file's
     * records the checker reported (the writer's section names each one's file and line).
     */
    private static void perFile(PrintStream out, List<AdapterLogFiles.LogFile> files, Map<String, AdapterLogFiles.Staged> staged,
                                JsonNode report) {
        Map<String, Integer> drift = new TreeMap<>();
        report.path("Writer").path("Sources").forEach(s -> drift.merge(s.path("File").asText(), 1, Integer::sum));
        int width = files.stream().mapToInt(f -> f.s3path().length()).max().orElse(4);
        out.printf("log files (S3 → webhook → adapter → stream → fleet)%n");
        out.printf("  %-" + width + "s  %8s  %8s  %9s  %6s%n", "file", "lines", "written", "processed", "drift");
        for (AdapterLogFiles.LogFile f : files) {
            AdapterLogFiles.Staged s = staged.get(f.s3path());
            int d = drift.getOrDefault(f.s3path(), 0);
            out.printf(Locale.ROOT, "  %-" + width + "s  %,8d  %,8d  %,9d  %,6d%n", f.s3path(), f.lines(), s.written(), s.keys().size() - d, d);
        }
        out.println();
    }

    /** The same report as one self-contained page (stream-checker's --format html), its path printed. */
    private void page(PrintStream out, LocalSystem system) {
        Path page = stateDir.resolve("report.html").toAbsolutePath();
        step("writing the report as a page: stream-checker.jar … --settle 0s --format html -o " + page);
        LocalSystem.CheckerRun html = system.streamChecker(List.of("--settle", "0s", "--format", "html", "-o", page.toString()));
        if (html.exitCode() == 2) {
            System.err.print(html.stderr());
            out.println("report page: not written (the stream-checker failed; see its error above)");
        } else {
            out.println("report page: " + page);
        }
    }

    /**
     * Compares the report with the simulation: skipped = exactly the records whose sequence number mod N is 0, of
     * every record in the stream (the producer's and, with the adapter, every key its lines got); with the adapter,
     * also no line unwritten. A line written twice (a put whose outcome was unknown, retried) is two records in the
     * stream, both counted and judged: the writer's section lists it, and it is no drift of the consumer's.
     */
    private int verdict(PrintStream out, List<String> written, JsonNode report, boolean adapter) {
        if (report == null) {
            out.println("verdict: the stream-checker failed; see its error above");
            return 1;
        }
        BigInteger n = BigInteger.valueOf(skip);
        Set<String> expected = new TreeSet<>();
        for (String key : written) {
            if (new BigInteger(key.split(":")[1]).mod(n).signum() == 0) {
                expected.add(key);
            }
        }
        Set<String> skipped = texts(report.get("Skipped"));
        Set<String> undelivered = texts(report.get("Undelivered"));
        int duplicated = report.get("Duplicated").size();
        long scanned = report.get("Total").get("Scanned").asLong();
        long unwritten = adapter ? report.path("Writer").path("Unwritten").asLong(-1) : 0;
        long writtenTwice = report.path("Writer").path("WrittenTwice").asLong(0);
        boolean exact = skipped.equals(expected) && undelivered.isEmpty() && duplicated == 0 && scanned == written.size()
                && unwritten == 0;
        if (exact) {
            out.printf("verdict: the drift found is exactly the drift simulated — %d of %d records skipped by the handler "
                    + "(sequence number mod %d == 0, about one in %d), nothing undelivered, nothing processed twice%s.%n",
                    skipped.size(), written.size(), skip, skip, !adapter ? ""
                            : ", every log line written" + (writtenTwice == 0 ? " once" : " (" + writtenTwice + " twice, listed above)"));
            return 0;
        }
        Set<String> missed = new TreeSet<>(expected);
        missed.removeAll(skipped);
        Set<String> extra = new TreeSet<>(skipped);
        extra.removeAll(expected);
        out.printf("verdict: the drift found is NOT the drift simulated: %d records scanned of %d written; "
                        + "%d simulated skips not reported, %d reported skips not simulated, %d undelivered, %d duplicated%s.%n",
                scanned, written.size(), missed.size(), extra.size(), undelivered.size(), duplicated,
                adapter ? ", " + unwritten + " log lines unwritten" : "");
        missed.stream().limit(5).forEach(k -> out.println("  simulated, not reported: " + k));
        extra.stream().limit(5).forEach(k -> out.println("  reported, not simulated: " + k));
        return 1;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    private static void step(String what) {
        System.err.println("make run: " + what + " …");
    }
}
