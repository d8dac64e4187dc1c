package io.streamwreck.notified;

/**
 * Runs the invocation's CPU-bound paths once on built-in fixtures, with no effect outside the process.
 *
 * <ul>
 *   <li>{@link #decoding}: a notice of each version the processor emits is decoded and checked as an SNS message
 *       would be (Jackson's tree, the compact key codec, key parsing, the scope rules). Init runs this on the main
 *       thread while the Redis connection is opened on another: it is work the first notice needs anyway.</li>
 *   <li>{@link #everything}: that, and an EMF document with the function's five metrics serialised and discarded.
 *       Run before a SnapStart snapshot, so that the classes of a whole invocation are in the snapshot.</li>
 * </ul>
 * The fixtures are literal JSON (what {@code NoticeCodec.encode} writes for them), so priming loads no encoder.
 */
final class NotifiedPriming {

    private static final String BATCH = "\"stream\":\"priming\",\"app\":\"priming\",\"shardId\":\"shardId-000000000000\","
            + "\"worker\":\"priming\",\"batch\":{\"first\":\"49668563617890417520316213853085632573939718373548113922\","
            + "\"last\":\"49668563617890417520316213853103766461233937811168706562\",\"received\":16},";

    /** Version 2 (compact keys): 16 keys, every fourth a KPL user record. */
    static final String COMPACT = "{\"v\":2,\"id\":\"00000000-0000-0000-0000-000000000002\"," + BATCH
            + "\"count\":16,\"keys\":\"eAFjZGDgZmRAAJwcFpwyuA3gIEMPDxl6BABS5QDe\",\"at\":\"1970-01-01T00:00:00Z\"}";

    /** Version 1 (decimal keys): three of the same keys. */
    static final String PLAIN = "{\"v\":1,\"id\":\"00000000-0000-0000-0000-000000000001\"," + BATCH
            + "\"processed\":[\"49668563617890417520316213853085632573939718373548113922\","
            + "\"49668563617890417520316213853089259351398562261072232450:3\","
            + "\"49668563617890417520316213853103766461233937811168706562:15\"],\"at\":\"1970-01-01T00:00:00Z\"}";

    private NotifiedPriming() {
    }

    static void decoding(NoticeRecorder recorder) {
        recorder.decode(COMPACT);
        recorder.decode(PLAIN);
    }

    static void everything(NoticeRecorder recorder, NoticeMetrics metrics) {
        decoding(recorder);
        metrics.warm();
    }
}
