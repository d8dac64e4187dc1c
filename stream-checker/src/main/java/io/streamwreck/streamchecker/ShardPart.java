package io.streamwreck.streamchecker;

import io.streamwreck.core.cli.OptionValueException;
import picocli.CommandLine.ITypeConverter;

import java.util.zip.CRC32;

/**
 * {@code --shards i/N}: part {@code i} of {@code N} of a stream's shards, so that N machines can each scan one part
 * and {@code merge} joins their reports. A shard's part depends on its id alone — the number in
 * {@code shardId-000000000012} modulo N (consecutive ids, as Kinesis gives them, spread evenly), the CRC-32 of
 * the id for any other spelling — so every machine agrees without talking to the others, and a reshard between
 * two scans moves no existing shard to another part.
 *
 * @param index 1 to {@code of}
 */
record ShardPart(int index, int of) {

    static final ShardPart ALL = new ShardPart(1, 1);

    ShardPart {
        if (of < 1 || index < 1 || index > of) {
            throw new IllegalArgumentException("a part is i/N with 1 <= i <= N, was " + index + "/" + of);
        }
    }

    boolean all() {
        return of == 1;
    }

    boolean contains(String shardId) {
        return all() || Math.floorMod(number(shardId), of) == index - 1;
    }

    private static long number(String shardId) {
        int dash = shardId.lastIndexOf('-');
        String digits = shardId.substring(dash + 1);
        if (!digits.isEmpty() && digits.length() <= 18 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(digits);
        }
        CRC32 crc = new CRC32();
        crc.update(shardId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }

    @Override
    public String toString() {
        return index + "/" + of;
    }

    /** {@code --shards 2/4}; a bad value is a usage error naming the option. */
    static final class Converter implements ITypeConverter<ShardPart> {
        @Override
        public ShardPart convert(String value) {
            String[] parts = value.trim().split("/", -1);
            try {
                if (parts.length == 2) {
                    int i = Integer.parseInt(parts[0].trim());
                    int n = Integer.parseInt(parts[1].trim());
                    if (n >= 1 && i >= 1 && i <= n) {
                        return new ShardPart(i, n);
                    }
                }
            } catch (NumberFormatException e) {
                // worded below
            }
            throw OptionValueException.after("\"" + value + "\" is not a part i/N with 1 <= i <= N, e.g. 1/2 and 2/2 for two machines");
        }
    }
}
