package io.streamwreck.producer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors never reach Kinesis: every one is a single {@code error:} line and exit 2. */
class ProducerMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = ProducerMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--stream s --count 0                          | --count must be at least 1, was 0",
            "--stream s --count 5 --rate -1                | --rate must be 0 (as fast as possible) or positive, was -1.0",
            "--stream s --count 5 --size 1048576           | --size must be 0 to 1048566 bytes (1 MiB less the partition key), was 1048576",
            "--stream s --count 5 --size -1                | --size must be 0 to",
            "--stream s --count 5 --partition-keys -2      | --partition-keys must be 0 (one per record) or more, was -2",
            "--stream s --count 5 --shard-rate 0           | --shard-rate must be positive, was 0.0",
            "--stream s --count 5 --calls 0                | --calls must be 1 to 256, was 0",
            "--stream s --count 5 --deadline soon          | --deadline: \"soon\" is not a duration",
            "--stream s --count 5 --endpoint ftp://x       | --endpoint must be an http:// or https:// URL, was \"ftp://x\"",
            "--stream s --count many                       | Invalid value for option '--count': 'many' is not a long",
            "--stream s                                    | Missing required option: '--count=N'",
            "--stream s --count 5 --bogus                  | Unknown option: '--bogus'",
    })
    void badInputIsOneErrorLineAndExitTwo(String args, String message) {
        int code = run(args.trim().split("\\s+"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("error: ");
            assertThat(line).contains(message.trim());
        });
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingStreamNamesTheFlagAndTheVariable() {
        // Only meaningful where STREAM_NAME is not set, which is how the build runs.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("STREAM_NAME") == null);

        assertThat(run("--count", "5")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: missing --stream (or environment variable STREAM_NAME) (try --help)" + System.lineSeparator());
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("Exit codes:", "0   every record was written",
                "1   some records were not written", "2   usage error", "--written-log=FILE", "$STREAM_NAME");
    }
}
