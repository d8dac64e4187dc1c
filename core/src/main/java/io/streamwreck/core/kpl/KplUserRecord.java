package io.streamwreck.core.kpl;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One user record inside a KPL-aggregated Kinesis record: what the producer application put, before the KPL
 * packed it with others.
 *
 * @param partitionKey    the user record's own partition key (the Kinesis record's key is the first one's)
 * @param explicitHashKey its explicit hash key (a decimal 128-bit number), or null when it has none
 * @param data            its payload; not copied, so do not change it afterwards
 */
public record KplUserRecord(String partitionKey, String explicitHashKey, byte[] data) {

    public KplUserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    /** A user record without an explicit hash key. */
    public static KplUserRecord of(String partitionKey, byte[] data) {
        return new KplUserRecord(partitionKey, null, data);
    }

    // A record's generated equals compares arrays by identity; user records are values.
    @Override
    public boolean equals(Object o) {
        return o instanceof KplUserRecord other && partitionKey.equals(other.partitionKey)
                && Objects.equals(explicitHashKey, other.explicitHashKey) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String shown = data.length <= 32 ? HexFormat.of().formatHex(data)
                : HexFormat.of().formatHex(data, 0, 32) + "…";
        return "KplUserRecord{partitionKey=" + partitionKey + (explicitHashKey == null ? "" : ", explicitHashKey=" + explicitHashKey)
                + ", data=" + data.length + " bytes " + shown + "}";
    }
}
