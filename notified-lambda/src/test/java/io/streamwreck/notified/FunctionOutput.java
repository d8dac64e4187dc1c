package io.streamwreck.notified;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the function wrote, read back by tests: its EMF documents (which Lambda reads from standard output) and
 * its JSON log lines (which log4j2-test.xml also writes to {@link #LOG_FILE}).
 */
final class FunctionOutput {

    static final Path LOG_FILE = Path.of("target/notified-logs/notified.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionOutput() {
    }

    /** Runs {@code action} and returns the EMF documents printed meanwhile (standard output still gets them). */
    static List<JsonNode> emfDuring(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.out.flush();
            System.setOut(original);
        }
        List<JsonNode> documents = new ArrayList<>();
        for (String line : copy.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{\"_aws\"")) {
                documents.add(parse(line));
            }
        }
        return documents;
    }

    /** Every JSON log line the function wrote in this test JVM so far. */
    static List<JsonNode> logLines() {
        try {
            return Files.readAllLines(LOG_FILE, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .map(FunctionOutput::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not one JSON object per line: " + line, e);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
