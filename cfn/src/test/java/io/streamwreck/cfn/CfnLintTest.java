package io.streamwreck.cfn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** cfn-lint (the Python tool, with the SAM translator; preinstalled here and in CI) passes on every template. */
class CfnLintTest {

    record Lint(int exitCode, String output) {
    }

    @Test
    void everyTemplateIsLintClean() throws Exception {
        List<Path> templates = new ArrayList<>();
        try (var files = Files.list(Repo.cfn())) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(templates::add);
        }
        assertThat(templates).extracting(p -> p.getFileName().toString()).contains("template.yaml", "vpc.yaml");
        for (Path template : templates) {
            Lint lint = lint(template);
            // Exit code 0: no errors, no warnings (informational messages would be 8; none are expected either).
            assertThat(lint.exitCode()).as("cfn-lint %s:%n%s", template.getFileName(), lint.output()).isZero();
        }
    }

    /** The same linter, given a template with a retired runtime, must complain: proof it really checks. */
    @Test
    void lintRejectsARetiredRuntime(@TempDir Path dir) throws Exception {
        String template = Files.readString(Repo.cfn().resolve("template.yaml"));
        assertThat(template).contains("Runtime: java21");
        Path broken = dir.resolve("template.yaml");
        Files.writeString(broken, template.replace("Runtime: java21", "Runtime: java8"));
        Lint lint = lint(broken);
        assertThat(lint.exitCode() & 2).as("error bit of cfn-lint's exit code; output:%n%s", lint.output()).isEqualTo(2);
        assertThat(lint.output()).contains("java8");
    }

    private static Lint lint(Path template) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("cfn-lint", "--format", "parseable", "--", template.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cfn-lint is not installed (pip install cfn-lint; the npm package of that "
                    + "name is a different, outdated tool): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cfn-lint did not finish in 120 s on " + template);
        }
        return new Lint(p.exitValue(), out);
    }
}
