package io.streamwreck.streamchecker;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/** The report's formats ({@code --format}) and where a report goes: stdout, or a file written whole or not at all. */
enum ReportFormat {
    TEXT, JSON, HTML;

    static Optional<ReportFormat> parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (ReportFormat f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(v)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** @param show drifted keys the text report lists at most (the others list all) */
    void write(ScanReport report, int show, PrintWriter out) throws IOException {
        write(report, null, show, out);
    }

    /**
     * @param writer the writer's side (the adapter's staging database, {@code --adapter-db}), or null; the page does
     *               not show it yet, the text and JSON reports do
     */
    void write(ScanReport report, WriterAccount writer, int show, PrintWriter out) throws IOException {
        switch (this) {
            case TEXT -> {
                TextReport.write(report, show, out);
                if (writer != null) {
                    WriterReport.writeText(writer, show, out);
                }
            }
            case JSON -> {
                if (writer == null) {
                    JsonReport.write(report, out);
                } else {
                    StringWriter json = new StringWriter();
                    JsonReport.write(report, json);
                    WriterReport.writeJson(json.toString(), writer, out);
                }
            }
            case HTML -> HtmlReport.write(report, out);
        }
        out.flush();
    }

    /** Writes to {@code file}, or to {@code stdout} when it is null. */
    void write(ScanReport report, int show, Path file, PrintWriter stdout) throws IOException {
        write(report, null, show, file, stdout);
    }

    /** Writes to {@code file}, or to {@code stdout} when it is null. */
    void write(ScanReport report, WriterAccount writer, int show, Path file, PrintWriter stdout) throws IOException {
        if (file == null) {
            write(report, writer, show, stdout);
            return;
        }
        // Next to the file, then renamed: a reader (cron, CI) never sees half a report.
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            write(report, writer, show, new PrintWriter(w));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
