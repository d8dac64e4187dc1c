package io.streamwreck.producer;

import io.streamwreck.core.RecordKey;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer's side of reconciliation: one line per record Kinesis confirmed, {@code <record id> TAB
 * <shardId>:<sequenceNumber>} (the key in {@link RecordKey}'s form), in the order the confirmations arrived.
 *
 * <p>A record that went into the stream twice (an attempt timed out after Kinesis had stored it, then the retry
 * succeeded too) has one line, for the copy the writer was told about; the other copy is in the stream but not
 * in the log, which is exactly what a reconciliation of the two finds.
 *
 * <p>Thread-safe. The writer hands each call's lines to the operating system as soon as the call's response is
 * handled, so a process that is killed loses no line of a record it had reported written. If writing fails,
 * later appends are dropped and {@link #flush()} and {@link #close()} throw: an incomplete log is never passed
 * off as complete.
 */
public final class WrittenLog implements Closeable {

    /** One line of the log. */
    public record Entry(String recordId, RecordKey key) {

        /** @throws IllegalArgumentException naming the line when it is not {@code <id> TAB <key>} */
        public static Entry parse(String line) {
            int tab = line.indexOf('\t');
            if (tab <= 0 || line.indexOf('\t', tab + 1) >= 0) {
                throw new IllegalArgumentException("written log line " + OutgoingRecord.quote(line)
                        + " is not <record id> TAB <shardId>:<sequenceNumber>");
            }
            return new Entry(line.substring(0, tab), RecordKey.parse(line.substring(tab + 1)));
        }

        /** The line, without its line break. */
        public String line() {
            return recordId + '\t' + key;
        }
    }

    private final Path file;
    private final BufferedWriter out;
    private IOException failure;
    private boolean closed;

    private WrittenLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates the file, or empties it if it exists. */
    public static WrittenLog create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new WrittenLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /** Reads every line of a log. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                entries.add(Entry.parse(line));
            }
        }
        return entries;
    }

    public Path file() {
        return file;
    }

    synchronized void append(String recordId, RecordKey key) {
        if (failure != null || closed) {
            return;
        }
        try {
            out.write(recordId);
            out.write('\t');
            out.write(key.toString());
            out.write('\n');
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Writes buffered lines out, remembering rather than throwing a failure (reported by flush and close). */
    synchronized void flushQuietly() {
        if (!closed && failure == null) {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    /** Writes buffered lines out. @throws UncheckedIOException if the log could not be written */
    public synchronized void flush() {
        if (!closed && failure == null) {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
        throwIfFailed();
    }

    /** Writes buffered lines out and closes the file. @throws UncheckedIOException if any line was lost */
    @Override
    public synchronized void close() {
        if (closed) {
            throwIfFailed();
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new UncheckedIOException("the written log " + file + " is incomplete: " + failure.getMessage(), failure);
        }
    }
}
