package io.streamwreck.local.cli;

import io.streamwreck.local.lambda.KinesisEventSourceMapping;
import io.streamwreck.local.lambda.KinesisLambdaFunction;
import io.streamwreck.local.standin.AwsClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code local.jar lambda-consumer}: a Kinesis-triggered Lambda function from its deployment jar, run behind the local
 * event source mapping ({@link KinesisEventSourceMapping}) with the settings of cfn/template.yaml's example consumer,
 * until SIGTERM. A process of its own because the function reads its settings from the environment, as on Lambda
 * ({@code TOPIC_ARN}, {@code APP_NAME}, the SDK's {@code AWS_ENDPOINT_URL_*}); {@code make up} starts one beside the
 * KCL fleet.
 */
@Command(name = "lambda-consumer", mixinStandardHelpOptions = true,
        description = {"Runs a Kinesis-triggered Lambda function from its deployment jar behind a local event source",
                "mapping (BatchSize, batching window, ReportBatchItemFailures, BisectBatchOnFunctionError,",
                "MaximumRetryAttempts, an on-failure SQS queue) until SIGTERM. The function's environment is this",
                "process's; kinesis-local and SQS endpoints from AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL_SQS."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM", "2:usage error, or the function could not be loaded"})
final class LambdaConsumerCommand implements Callable<Integer> {

    @Option(names = "--stream", required = true, defaultValue = "${env:STREAM_NAME}", description = "The stream (default: $STREAM_NAME).")
    String stream;

    @Option(names = "--deployment-jar", required = true, description = "The function's deployment jar.")
    Path jar;

    @Option(names = "--handler", defaultValue = "io.streamwreck.lambdaconsumer.example.ExampleConsumerHandler::handleRequest",
            description = "The function's Handler setting (default: ${DEFAULT-VALUE}).")
    String handler;

    @Option(names = "--function-name", defaultValue = "consumer", description = "The function's name (default: ${DEFAULT-VALUE}).")
    String functionName;

    @Option(names = "--on-failure-queue-url", description = "The on-failure destination (an SQS queue URL); none: discarded batches go nowhere.")
    String onFailureQueueUrl;

    @Option(names = "--batch-size", defaultValue = "100", description = "BatchSize (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batching-window-ms", defaultValue = "1000",
            description = "MaximumBatchingWindowInSeconds, in ms (default: ${DEFAULT-VALUE}).")
    long batchingWindowMillis;

    @Option(names = "--maximum-retry-attempts", defaultValue = "2", description = "MaximumRetryAttempts, -1 = unlimited (default: ${DEFAULT-VALUE}).")
    int maximumRetryAttempts;

    @Override
    public Integer call() throws Exception {
        String kinesisEndpoint = System.getenv("AWS_ENDPOINT_URL_KINESIS");
        if (kinesisEndpoint == null) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL_KINESIS is not set: the local stack's environment is needed (make up sets it)");
        }
        KinesisEventSourceMapping.Settings settings = KinesisEventSourceMapping.Settings.defaults().withBatchSize(batchSize)
                .withBatchingWindow(Duration.ofMillis(batchingWindowMillis)).withReportBatchItemFailures(true)
                .withBisectBatchOnFunctionError(true).withMaximumRetryAttempts(maximumRetryAttempts);
        CountDownLatch stopped = new CountDownLatch(1);
        try (KinesisClient kinesis = AwsClients.kinesis(URI.create(kinesisEndpoint));
             SqsClient sqs = onFailureQueueUrl == null ? null : AwsClients.sqs(URI.create(System.getenv("AWS_ENDPOINT_URL_SQS")));
             KinesisLambdaFunction function = KinesisLambdaFunction.fromDeploymentJar(jar, handler)) {
            KinesisEventSourceMapping.Builder mapping = KinesisEventSourceMapping.builder().kinesis(kinesis).streamName(stream)
                    .functionName(functionName).handler(function.handler()).settings(settings);
            if (sqs != null) {
                mapping.onFailure(sqs, onFailureQueueUrl);
            }
            try (KinesisEventSourceMapping running = mapping.start()) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "lambda-consumer-shutdown"));
                System.err.println("lambda consumer " + functionName + " (" + handler + ") reading " + stream + " from TRIM_HORIZON");
                stopped.await();
                System.err.println("lambda consumer " + functionName + ": " + running.invocations() + " invocations, "
                        + running.failedInvocations() + " failed, " + running.discardedBatches() + " batches to the on-failure queue");
            }
        }
        return 0;
    }
}
