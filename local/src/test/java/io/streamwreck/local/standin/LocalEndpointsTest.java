package io.streamwreck.local.standin;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The export lines of {@code make up} give back every value exactly through {@code eval "$(cat env)"}. */
class LocalEndpointsTest {

    private static final Map<String, String> AWKWARD = new LinkedHashMap<>();

    static {
        AWKWARD.put("PLAIN", "http://127.0.0.1:4567");
        AWKWARD.put("ARN", "arn:aws:sns:us-east-1:123456789012:notices-orders");
        AWKWARD.put("SPACES", "/tmp/my stack/system  two spaces");
        AWKWARD.put("SINGLE", "it's 'quoted'");
        AWKWARD.put("DOUBLE", "say \"hi\"");
        AWKWARD.put("DOLLAR", "$HOME ${PATH} $(echo no) `echo no`");
        AWKWARD.put("BACKSLASH", "a\\b\\\\c\\n");
        AWKWARD.put("GLOB", "* ? [a] ~ ~/x x:~/y {a,b}");
        AWKWARD.put("OPERATORS", "a;b&c|d<e>f#g!h");
        AWKWARD.put("NEWLINE", "first\nsecond\n");
        AWKWARD.put("TAB", "a\tb");
        AWKWARD.put("EMPTY", "");
        AWKWARD.put("DASH", "-n");
        AWKWARD.put("UNICODE", "gr\u00fc\u00dfe \u2603");
        AWKWARD.put("REDIS_URL", "redis://:p@ss$w'rd@127.0.0.1:6379/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void everyValueRoundTripsThroughEval(String shell, @TempDir Path dir) throws Exception {
        Path env = dir.resolve("env");
        Files.writeString(env, LocalEndpoints.exportLines(AWKWARD), StandardCharsets.UTF_8);

        // As the README says, then every exported variable NUL-terminated, as a child process sees them.
        Map<String, String> seen = environmentAfter(shell, "eval \"$(cat \"$1\")\"; env -0", env);

        assertThat(seen).containsAllEntriesOf(AWKWARD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void everyValueRoundTripsThroughDot(String shell, @TempDir Path dir) throws Exception {
        Path env = dir.resolve("env");
        Files.writeString(env, LocalEndpoints.exportLines(AWKWARD), StandardCharsets.UTF_8);

        Map<String, String> seen = environmentAfter(shell, ". \"$1\"; env -0", env);

        assertThat(seen).containsAllEntriesOf(AWKWARD);
    }

    @Test
    void plainValuesStayReadable() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567");
        env.put("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:notices-orders");

        assertThat(LocalEndpoints.exportLines(env)).isEqualTo("""
                export AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:4567
                export TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:notices-orders
                """);
    }

    @Test
    void theStackEndpointsAreExportLines() {
        LocalEndpoints endpoints = new LocalEndpoints(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"),
                URI.create("http://127.0.0.1:3"), URI.create("http://127.0.0.1:3"), URI.create("redis://127.0.0.1:4"));

        assertThat(LocalEndpoints.exportLines(endpoints.environment())).contains("export REDIS_URL=redis://127.0.0.1:4\n");
    }

    @Test
    void aNameThatIsNoShellVariableIsRefused() {
        assertThatThrownBy(() -> LocalEndpoints.exportLines(Map.of("A;rm -rf /", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a shell variable name");
    }

    private static Map<String, String> environmentAfter(String shell, String script, Path env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(shell, "-c", script, shell, env.toString());
        pb.environment().keySet().removeAll(AWKWARD.keySet());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        List<String> entries = Arrays.asList(new String(out, StandardCharsets.UTF_8).split("\0"));
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                seen.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return seen;
    }
}
