package io.streamwreck.lambdaconsumer.example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.streamwreck.lambdaconsumer.NoticedKinesisHandler;

/**
 * The example Lambda consumer of cfn/template.yaml ({@code ConsumerFunction}): a per-record function, wrapped in one
 * line so that every record it handles is reported to the ledger. Its work is a stand-in (it reads each record's
 * data); a record it cannot read becomes a batch item failure, retried by the event source mapping and, after
 * {@code MaximumRetryAttempts}, sent to the on-failure queue and reported skipped.
 */
public final class ExampleConsumerHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private static final NoticedKinesisHandler HANDLER = NoticedKinesisHandler.perRecord((record, context) -> {
        if (record.getKinesis().getData() == null) {
            throw new IllegalArgumentException("record " + record.getKinesis().getSequenceNumber() + " has no data");
        }
    });

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return HANDLER.handleRequest(event, context);
    }
}
