package io.streamwreck.adapter.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The lines of a log file, as bytes: split on {@code \n}, a trailing {@code \r} dropped, gzip undone when the
 * stream starts with gzip's magic number (whatever the object's name or content type say). Line numbers count
 * from 1 and include blank lines, so a number is the one an editor shows; a final newline does not start another
 * line.
 */
public final class LineReader implements AutoCloseable {

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private long number;
    private boolean ended;

    private LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads {@code raw}, gunzipping it if it is gzip (several concatenated gzip members included). */
    public static LineReader of(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        if (first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2) {
            return new LineReader(new BufferedInputStream(new GZIPInputStream(buffered, 64 * 1024), 64 * 1024));
        }
        return new LineReader(buffered);
    }

    /** The number of the line {@link #next()} returned last (0 before the first). */
    public long number() {
        return number;
    }

    /** The next line without its line break, or null at the end. */
    public byte[] next() throws IOException {
        if (ended) {
            return null;
        }
        line.reset();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                number++;
                return withoutCarriageReturn();
            }
            line.write(b);
        }
        ended = true;
        if (line.size() == 0) {
            return null;
        }
        number++;
        return withoutCarriageReturn();
    }

    private byte[] withoutCarriageReturn() {
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            byte[] cut = new byte[bytes.length - 1];
            System.arraycopy(bytes, 0, cut, 0, cut.length);
            return cut;
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
