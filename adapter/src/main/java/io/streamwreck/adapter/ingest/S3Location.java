package io.streamwreck.adapter.ingest;

import java.util.regex.Pattern;

/**
 * An S3 object named as {@code s3://bucket/key}. The bucket must follow S3's naming rules (3–63 lower-case
 * letters, digits, dots and hyphens), the key must not be empty.
 */
public record S3Location(String bucket, String key) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final int MAX_KEY_BYTES = 1024;

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket " + quote(bucket)
                    + " is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("the object key is empty");
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("the object key is longer than S3's 1024 bytes");
        }
    }

    /** Parses {@code s3://bucket/key}. */
    public static S3Location parse(String path) {
        if (path == null || !path.startsWith("s3://")) {
            throw new IllegalArgumentException(quote(path) + " is not an s3 path (s3://bucket/key)");
        }
        String rest = path.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(quote(path) + " names no object (s3://bucket/key)");
        }
        return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() <= 80 ? text : text.substring(0, 80) + "…";
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
