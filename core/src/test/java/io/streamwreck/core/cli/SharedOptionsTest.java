package io.streamwreck.core.cli;

import io.streamwreck.core.config.StreamwreckConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared options and the Duration converter, in a command shaped like the jars'. */
class SharedOptionsTest {

    @Command(name = "t", mixinStandardHelpOptions = true)
    static final class Tool implements Callable<Integer> {
        @Option(names = "--wait", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "A wait (default: ${DEFAULT-VALUE}).")
        Duration wait;

        @Mixin
        KinesisEndpointOption.KinesisEndpoint kinesis;

        @Mixin
        AwsOptions aws;

        @Override
        public Integer call() {
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Tool tool = new Tool();

    private int run(String... args) {
        CommandLine cli = CliConventions.apply(new CommandLine(tool));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @ParameterizedTest
    @CsvSource({"30s, PT30S", "48h, PT48H", "PT48H, PT48H", "500ms, PT0.5S", "2d, PT48H", "0s, PT0S"})
    void durationsAreReadAsDurationsReadsThem(String given, String expected) {
        assertThat(run("--wait", given)).isZero();
        assertThat(tool.wait).isEqualTo(Duration.parse(expected));
    }

    @Test
    void theDefaultIsConvertedToo() {
        assertThat(run()).isZero();
        assertThat(tool.wait).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--wait soon              | error: --wait: \"soon\" is not a duration; use a whole number with ms, s, m, h or d (e.g. 30s, 48h) or ISO-8601 (PT48H) (try --help)",
            "--wait PT-1H             | error: --wait: duration \"PT-1H\" is negative (try --help)",
            "--kinesis-endpoint ftp://x | error: --kinesis-endpoint must be an http:// or https:// URL, was \"ftp://x\" (try --help)",
            "--kinesis-endpoint a^b   | error: --kinesis-endpoint must be an http:// or https:// URL, was \"a^b\" (try --help)",
    })
    void aBadValueIsOneUsageErrorLineNamingTheOptionAndExitTwo(String args, String line) {
        assertThat(run(args.trim().split("\\s+"))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(line.trim() + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutTheConventionsPicocliWordsItAsUsual() {
        CommandLine cli = new CommandLine(new Tool());
        StringWriter e = new StringWriter();
        cli.setErr(new PrintWriter(e, true));

        assertThat(cli.execute("--wait", "soon")).isEqualTo(2);
        assertThat(e.toString()).contains("Invalid value for option '--wait'", "\"soon\" is not a duration");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        StreamwreckConfig config = StreamwreckConfig.from(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567"));
        assertThat(run()).isZero();
        assertThat(tool.aws.region(config)).contains("eu-west-1");
        assertThat(tool.kinesis.endpoint(config)).contains(URI.create("http://127.0.0.1:4567"));

        assertThat(run("--region", " us-east-1 ", "--kinesis-endpoint", "https://kinesis.example")).isZero();
        assertThat(tool.aws.region(config)).contains("us-east-1");
        assertThat(tool.kinesis.endpoint(config)).contains(URI.create("https://kinesis.example"));
        assertThat(tool.aws.region(StreamwreckConfig.from(Map.of()))).contains("us-east-1");
        assertThat(new AwsOptions().region(StreamwreckConfig.from(Map.of()))).isEqualTo(Optional.empty());
    }

    @Test
    void helpNamesTheOptionsAndTheirEnvironmentDefaults() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--wait=DURATION", "(default: 30s)", "--kinesis-endpoint=URL",
                "$AWS_ENDPOINT_URL_KINESIS", "--region=REGION", "$AWS_REGION");
    }
}
