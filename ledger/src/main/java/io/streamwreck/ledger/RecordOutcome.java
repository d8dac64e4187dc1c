package io.streamwreck.ledger;

/**
 * What recording one notice changed.
 *
 * @param applied        false when the notice had been recorded before (a redelivery): nothing changed
 * @param keysRecorded   processed keys counted by this notice
 * @param duplicatesSeen of those, keys now counted two or more times
 */
public record RecordOutcome(boolean applied, int keysRecorded, int duplicatesSeen) {

    static final RecordOutcome ALREADY_RECORDED = new RecordOutcome(false, 0, 0);
}
