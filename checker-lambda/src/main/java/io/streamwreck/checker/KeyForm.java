package io.streamwreck.checker;

/** How a request names its records; the answer echoes keys in the same form. */
enum KeyForm {
    /** Shard-qualified keys, {@code shardId-000000000001:4959…650[:SUB]}. */
    QUALIFIED,
    /** The seed's bare sequence numbers, {@code 4959…650}, looked up in every shard of the scope. */
    BARE;

    /** For logs. */
    String label() {
        return this == QUALIFIED ? "qualified" : "bare";
    }
}
