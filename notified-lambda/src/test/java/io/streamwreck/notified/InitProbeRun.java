package io.streamwreck.notified;


import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs {@link NotifiedInitProbe} on the deployment jar in a JVM of its own, as Lambda runs the function. */
final class InitProbeRun {

    private static final long TIMEOUT_SECONDS = 60;

    /** What one cold start printed: the function's output, and the probe's timings. */
    record Result(int exitCode, List<String> stdout, String stderr, double initMs, long jvmMs) {
    }

    private InitProbeRun() {
    }

    /**
     * @param environment more of the function's environment variables (besides {@code REDIS_URL})
     * @param workDir     where the probe's classes and the child's output go
     */
    static Result run(Path jar, String redisUrl, Map<String, String> environment, String stream, int keys, Path workDir)
            throws IOException, InterruptedException {
        Path classes = copyProbeClasses(workDir.resolve("classes"));
        Path out = workDir.resolve("stdout.log");
        Path err = workDir.resolve("stderr.log");
        Path javaBinary = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(javaBinary.toString(), "-cp", jar.toAbsolutePath() + File.pathSeparator + classes,
                NotifiedInitProbe.class.getName(), stream, Integer.toString(keys))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The child is a fresh "Lambda" JVM: the variables Lambda sets, plus the function's own configuration.
        builder.environment().remove("AWS_EMF_ENVIRONMENT");
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "notified-probe");
        builder.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        builder.environment().put("POWERTOOLS_SERVICE_NAME", "notified-lambda");
        builder.environment().put("REDIS_URL", redisUrl);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the init probe did not finish within " + TIMEOUT_SECONDS + " s; see " + err);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), stderr,
                number(stderr, "init_ms="), (long) number(stderr, "jvm_ms="));
    }

    private static double number(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return Double.parseDouble(line.substring(key.length()).trim());
            }
        }
        return Double.NaN;
    }

    /** The probe alone: everything else must come from the jar. */
    private static Path copyProbeClasses(Path target) throws IOException {
        Path source;
        try {
            source = Path.of(NotifiedInitProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path pkg = Path.of("io", "streamwreck", "notified");
        Files.createDirectories(target.resolve(pkg));
        try (Stream<Path> files = Files.list(source.resolve(pkg))) {
            files.filter(f -> f.getFileName().toString().startsWith("NotifiedInitProbe"))
                    .forEach(f -> {
                        try {
                            Files.copy(f, target.resolve(pkg).resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        return target;
    }
}
