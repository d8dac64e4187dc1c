package io.streamwreck.streamchecker;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A refusal is one line naming the status and, when the service gave one, its error code — never a NullPointerException. */
class KinesisCallsTest {

    /** A client whose ListShards always fails with the given exception. */
    private static KinesisCalls failingWith(AwsServiceException e) {
        KinesisClient client = new KinesisClient() {
            @Override
            public ListShardsResponse listShards(ListShardsRequest request) {
                throw e;
            }

            @Override
            public String serviceName() {
                return "kinesis";
            }

            @Override
            public void close() {
            }
        };
        return new KinesisCalls(client, "Kinesis at test");
    }

    @Test
    void aRefusalWithoutErrorDetails() {
        AwsServiceException refusal = AwsServiceException.builder().statusCode(400).message("bad request").build();

        try (KinesisCalls calls = failingWith(refusal)) {
            assertThatThrownBy(() -> calls.listShards("orders"))
                    .isInstanceOf(ScanFailedException.class)
                    .hasMessage("ListShards of stream orders failed: Kinesis at test answered 400: bad request");
        }
    }

    @Test
    void aRefusalWithDetailsButNoErrorCode() {
        AwsServiceException refusal = AwsServiceException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorMessage("not allowed").build()).build();

        try (KinesisCalls calls = failingWith(refusal)) {
            assertThatThrownBy(() -> calls.listShards("orders"))
                    .isInstanceOf(ScanFailedException.class)
                    .hasMessage("ListShards of stream orders failed: Kinesis at test answered 403: not allowed");
        }
    }

    @Test
    void aRefusalWithAnErrorCode() {
        AwsServiceException refusal = AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                        .errorMessage("User is not authorized").build()).build();

        try (KinesisCalls calls = failingWith(refusal)) {
            assertThatThrownBy(() -> calls.listShards("orders"))
                    .isInstanceOf(ScanFailedException.class)
                    .hasMessage("ListShards of stream orders failed: Kinesis at test answered 400 AccessDeniedException: "
                            + "User is not authorized");
        }
    }
}
