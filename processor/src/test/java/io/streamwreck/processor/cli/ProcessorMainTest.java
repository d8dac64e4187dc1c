package io.streamwreck.processor.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessorMainTest {

    private static final String BASE = "--stream orders --app billing --topic-arn arn:aws:sns:us-east-1:123456789012:t ";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--retrieval push|--retrieval: 'push' is not polling or fanout",
            "--initial-position yesterday|--initial-position: 'yesterday' is not trim-horizon, latest or at-timestamp",
            "--initial-position at-timestamp=noon|at-timestamp needs an ISO-8601 instant",
            "--failover-time 0s|--failover-time must be positive",
            "--failover-time soon|--failover-time:",
            "--metrics loud|--metrics: 'loud' is not none, summary or detailed",
            "--max-records 20000|--max-records must be between 1 and 10000",
            "--handler com.example.Missing|handler class com.example.Missing is not on the class path",
            "--simulate-skip x|--simulate-skip",
            "--kpl-deaggregation some|--kpl-deaggregation: 'some' is not strict or all",
            "--report-timeout 0s|--report-timeout",
            "--report-timeout soon|--report-timeout",
    })
    void badFlagsAreOneLineAndExit2(String flags, String message) {
        Result r = run(BASE + flags);

        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.lines()).singleElement().asString().startsWith("error: ").contains(message);
        assertThat(r.out).isEmpty();
    }

    @Test
    void aMissingRequiredSettingNamesItsFlagAndVariable() {
        Result r = run("--stream orders --app billing");

        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("missing --topic-arn (or environment variable TOPIC_ARN)");
    }

    @Test
    void helpListsExitCodesAndSaysTheLeaseTableWinsOverTheInitialPosition() {
        Result r = run("--help");

        assertThat(r.code).isZero();
        assertThat(r.out.replaceAll("\\s+", " ")).contains("Exit codes:").contains("143").contains("the checkpoints in the lease table win");
    }

    @Test
    void helpExplainsTheGiveUpExitCodeAndThatSnsOutagesAreWaitedOut() {
        String help = run("--help").out.replaceAll("\\s+", " ");

        assertThat(help).contains("3 a shard could not report a batch").contains("--report-timeout")
                .contains("an SNS outage is waited out").contains("--kpl-deaggregation");
    }

    @Test
    void anAuditLogThatCannotBeOpenedIsOneErrorLineAndExit2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("file"), "x");

        Result r = run(BASE + "--region us-east-1 --metrics none --audit-log " + file.resolve("audit.jsonl"));

        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.lines()).singleElement().asString().startsWith("error: cannot open the audit log");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ProcessorMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args.trim().split("\\s+"));
        return new Result(code, out.toString(), err.toString());
    }
}
