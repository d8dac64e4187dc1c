package io.streamwreck.streamchecker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Usage errors never reach Kinesis or the checker: every one is a single {@code error:} line and exit 2. */
class StreamCheckerMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = StreamCheckerMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private void assertOneErrorLine(int code, String message) {
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("error: ");
            assertThat(line).contains(message.trim());
        });
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--batch 0                          | --batch must be 1 to 50000 (the checker's limit per request), was 0",
            "--batch 50001                      | --batch must be 1 to 50000",
            "--batch many                       | Invalid value for option '--batch': 'many' is not an int",
            "--parallel 0                       | --parallel must be 1 to 256, was 0",
            "--format xml                       | --format must be text or json, was \"xml\"",
            "--from yesterday                   | --from: \"yesterday\" is not a start position; use trim-horizon or at-timestamp=",
            "--from at-timestamp=monday         | --from: \"monday\" is not an ISO-8601 instant",
            "--settle soon                      | --settle: \"soon\" is not a duration",
            "--show -1                          | --show must be 0 or more, was -1",
            "--kinesis-endpoint ftp://x         | --kinesis-endpoint must be an http:// or https:// URL, was \"ftp://x\"",
            "--endpoint ftp://x                 | --endpoint must be an http:// or https:// URL, was \"ftp://x\"",
            "--endpoint http://a --redis redis://b | give either --endpoint or --redis, not both",
            "--redis http://secret@host         | --redis must be a redis:// or rediss:// URL",
            "--redis redis://h --sign           | --sign and --no-sign apply to the checker API (--endpoint), not to --redis",
            "--redis redis://h --no-sign        | --sign and --no-sign apply to the checker API (--endpoint), not to --redis",
            "--bogus                            | Unknown option: '--bogus'",
    })
    void badInputIsOneErrorLineAndExitTwo(String args, String message) {
        String[] given = args.trim().split("\\s+");
        String[] all = new String[given.length + 4];
        all[0] = "--stream";
        all[1] = "orders";
        all[2] = "--app";
        all[3] = "billing";
        System.arraycopy(given, 0, all, 4, given.length);

        assertOneErrorLine(run(all), message);
        // A Redis URL may carry an AUTH token: never echoed.
        assertThat(err.toString()).doesNotContain("secret");
    }

    @Test
    void signingACustomDomainNeedsARegion() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
                "no region in this test's environment");

        assertOneErrorLine(run("--stream", "orders", "--endpoint", "https://checker.example.com/v1"),
                "signing the requests to https://checker.example.com/v1 needs the API's region: give --region (or AWS_REGION), "
                        + "or --no-sign for an API without IAM authorisation");
    }

    @Test
    void aMissingStreamNamesTheFlagAndTheVariable() {
        assumeTrue(System.getenv("STREAM_NAME") == null);

        assertOneErrorLine(run("--endpoint", "http://127.0.0.1:1"), "missing --stream (or environment variable STREAM_NAME)");
    }

    @Test
    void withNoCheckerItSaysHowToGiveOne() {
        assumeTrue(System.getenv("CHECKER_URL") == null && System.getenv("REDIS_URL") == null);

        assertOneErrorLine(run("--stream", "orders"), "missing --endpoint URL (the checker API, or CHECKER_URL) or --redis URL");
    }

    @Test
    void theLedgerNeedsAnApplication() {
        assumeTrue(System.getenv("APP_NAME") == null);

        assertOneErrorLine(run("--stream", "orders", "--redis", "redis://127.0.0.1:1"),
                "missing --app (or environment variable APP_NAME)");
    }

    @Test
    void aReportThatCannotBeWrittenIsRefusedBeforeTheScan(@TempDir Path dir) {
        assertOneErrorLine(run("--stream", "orders", "--endpoint", "http://127.0.0.1:1", "--output",
                dir.resolve("missing/report.txt").toString()), "--output: cannot write");
    }

    @Test
    void anUnreachableCheckerIsOneLineBeforeAnyShardIsRead() {
        // Kinesis is unreachable too (port 1): the checker is asked first, so its error is the one reported.
        int code = run("--stream", "orders", "--endpoint", "http://127.0.0.1:1", "--kinesis-endpoint", "http://127.0.0.1:1",
                "--region", "us-east-1");

        assertOneErrorLine(code, "cannot reach the checker at http://127.0.0.1:1: connection refused");
    }

    @Test
    void helpListsTheFlagsTheExitCodesAndTheEnvironment() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("--stream=NAME", "--app=NAME", "--endpoint=URL", "--redis=URL", "--from=POSITION",
                "--settle=DURATION", "--batch=N", "--format=text|json", "--output=FILE", "--progress",
                "Exit codes:", "0   no drift", "1   drift", "2   usage error", "CHECKER_URL", "REDIS_URL", "$STREAM_NAME");
    }
}
