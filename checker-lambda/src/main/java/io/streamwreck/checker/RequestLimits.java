package io.streamwreck.checker;

/** What one request may ask (DESIGN.md "Checker API"); beyond these the answer is 413, saying the limit. */
final class RequestLimits {

    /** Keys per request. */
    static final int MAX_KEYS = 50_000;
    /** Lambda's limit for a synchronous invocation's payload, 6 MiB. */
    static final int MAX_BODY_BYTES = 6 * 1024 * 1024;
    /** The answer must fit the same limit, with room for the response event around the body. */
    static final int MAX_RESPONSE_BYTES = MAX_BODY_BYTES - 16 * 1024;
    /**
     * Bare sequence numbers are looked up in every shard of the scope: numbers × shards lookups. The ledger
     * answers about a million lookups a second, so this keeps one request to a few seconds, far inside API
     * Gateway's 29 s timeout (50,000 numbers in up to 50 shards).
     */
    static final long MAX_BARE_LOOKUPS = 2_500_000;

    private RequestLimits() {
    }
}
