package io.streamwreck.adapter.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    private static List<String> read(byte[] bytes) throws Exception {
        List<String> out = new ArrayList<>();
        try (LineReader r = LineReader.of(new ByteArrayInputStream(bytes))) {
            byte[] line;
            while ((line = r.next()) != null) {
                out.add(r.number() + "=" + new String(line, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void linesAreNumberedFromOneBlankOnesIncludedAndAFinalNewlineStartsNoLine() throws Exception {
        assertThat(read("a\n\nc\r\nd\n".getBytes(StandardCharsets.UTF_8))).containsExactly("1=a", "2=", "3=c", "4=d");
        assertThat(read("a\nb".getBytes(StandardCharsets.UTF_8))).containsExactly("1=a", "2=b");
        assertThat(read(new byte[0])).isEmpty();
    }

    @Test
    void gzipIsRecognisedByItsMagicNumberIncludingConcatenatedMembers() throws Exception {
        byte[] one = gzip("x\ny\n".getBytes(StandardCharsets.UTF_8));
        byte[] two = gzip("z\n".getBytes(StandardCharsets.UTF_8));
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        assertThat(read(both)).containsExactly("1=x", "2=y", "3=z");
    }

    @Test
    void aSingleByteFileIsReadAsText() throws Exception {
        assertThat(read(new byte[] {0x1f})).containsExactly("1=\u001f");
    }
}
