package io.streamwreck.core.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class CliConventionsTest {

    @Command(name = "t")
    static final class Failing implements Callable<Integer> {
        @Option(names = "--n")
        int n;

        @Override
        public Integer call() {
            throw new IllegalStateException("the stream orders\ndoes not exist");
        }
    }

    @Test
    void aBadFlagIsOneLinePointingAtHelpAndExit2() {
        StringWriter err = new StringWriter();
        int code = CliConventions.apply(new CommandLine(new Failing())).setErr(new PrintWriter(err)).execute("--n", "x");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("error: ").endsWith("(try --help)");
    }

    @Test
    void aFailureIsOneLineWithoutAStackTraceAndExit2() {
        StringWriter err = new StringWriter();
        int code = CliConventions.apply(new CommandLine(new Failing())).setErr(new PrintWriter(err)).execute();

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("error: the stream orders does not exist");
    }
}
