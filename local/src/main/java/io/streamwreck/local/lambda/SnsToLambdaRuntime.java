package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import io.streamwreck.local.standin.LocalStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers what SNS would deliver to a Lambda function, locally: moto cannot invoke Lambda, so an SQS queue is
 * subscribed to the topic, polled, and each message is wrapped in an {@link SNSEvent} exactly as SNS → Lambda
 * does (one record per invocation) and handed to the function's real handler class.
 *
 * <p>Failures follow Lambda's asynchronous invocation: a failed invocation is retried twice (after 1 s and 2 s
 * here by default; about 1 and 2 minutes on AWS), keeping its request id, then the event goes to the function's
 * dead-letter queue as Lambda puts it there ({@link SnsDeadLetter}). A message is deleted from the subscription
 * queue only once handled or dead-lettered, so nothing is lost if this process stops: on {@link #close()} messages still
 * waiting are made visible again at once, and after a crash they reappear when their visibility timeout ends.
 *
 * <p>The function has one execution environment: invocations run one at a time on one thread, in arrival
 * order, with retries slotted in when due (other events are not held up by a retry's delay).
 */
public final class SnsToLambdaRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnsToLambdaRuntime.class);
    /** Messages received but not yet handled or dead-lettered, at most: SQS's largest receive batch. */
    private static final int MAX_IN_FLIGHT = 10;

    private final SqsClient sqs;
    private final SnsSubscription subscription;
    private final SnsLambdaFunction function;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final ScheduledThreadPoolExecutor environment;
    private final Thread poller;
    private final Semaphore room = new Semaphore(MAX_IN_FLIGHT);
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong failedInvocations = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    private SnsToLambdaRuntime(SqsClient sqs, SnsSubscription subscription, SnsLambdaFunction function,
                               List<Duration> retryDelays, Duration timeout) {
        this.sqs = sqs;
        this.subscription = subscription;
        this.function = function;
        this.retryDelays = retryDelays;
        this.timeout = timeout;
        this.environment = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "lambda-" + function.name()));
        // Retries still waiting at close are not run: their messages go back to the queue instead.
        this.environment.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.poller = daemon(this::poll, "sns-" + function.name());
        this.poller.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SnsSubscription subscription() {
        return subscription;
    }

    /** Invocations so far, retries included. */
    public long invocations() {
        return invocations.get();
    }

    /** Invocations that threw. */
    public long failedInvocations() {
        return failedInvocations.get();
    }

    /** Messages whose invocation succeeded (deleted from the subscription queue). */
    public long handledMessages() {
        return handled.get();
    }

    /** Messages moved to the dead-letter queue. */
    public long deadLetteredMessages() {
        return deadLettered.get();
    }

    /** The last invocation error, as {@code ExceptionClass: message}. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    private void poll() {
        while (running) {
            int asked = 0;
            try {
                room.acquire();
                asked = 1 + room.drainPermits();
                int max = asked;
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(subscription.queueUrl())
                        .maxNumberOfMessages(max).waitTimeSeconds(1)).messages();
                room.release(asked - messages.size());
                asked = 0;
                for (Message m : messages) {
                    waiting.add(m.receiptHandle());
                    submit(new Invocation(m), Duration.ZERO);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SdkException e) {
                room.release(asked);
                if (running) {
                    log.warn("{}: polling {} failed, trying again: {}", function.name(), subscription.queueUrl(), e.toString());
                    pause(Duration.ofMillis(500));
                }
            }
        }
    }

    private void submit(Invocation invocation, Duration delay) {
        try {
            environment.schedule(() -> {
                try {
                    attempt(invocation);
                } catch (RuntimeException | Error e) {
                    // A fault of the runtime itself, not of the function: say so, and let SQS deliver the message again.
                    log.error("{}: the runtime failed on invocation {}; its message goes back to the queue", function.name(),
                            invocation.requestId, e);
                    giveBack(invocation);
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            giveBack(invocation);
        }
    }

    private void attempt(Invocation invocation) {
        if (!running) {
            giveBack(invocation);
            return;
        }
        if (invocation.eventJson == null) {
            // Not an SNS envelope: Lambda would never have been invoked, but the message must not vanish.
            deadLetter(invocation, invocation.envelopeError);
            return;
        }
        invocation.attempts++;
        invocations.incrementAndGet();
        try {
            function.invoke(SnsEventJson.toSnsEvent(invocation.eventJson),
                    new LocalLambdaContext(function.name(), invocation.requestId, timeout));
            delete(invocation);
            handled.incrementAndGet();
        } catch (Exception | LinkageError e) {
            failedInvocations.incrementAndGet();
            String error = e.getClass().getName() + ": " + e.getMessage();
            lastError.set(error);
            if (invocation.attempts <= retryDelays.size()) {
                Duration delay = retryDelays.get(invocation.attempts - 1);
                log.warn("{}: invocation {} failed (attempt {} of {}), retrying in {} ms: {}", function.name(),
                        invocation.requestId, invocation.attempts, retryDelays.size() + 1, delay.toMillis(), error);
                submit(invocation, delay);
            } else {
                deadLetter(invocation, e);
            }
        }
    }

    private void deadLetter(Invocation invocation, Throwable error) {
        String body = invocation.eventJson != null ? invocation.eventJson : invocation.message.body();
        try {
            sqs.sendMessage(SnsDeadLetter.of(subscription.deadLetterQueueUrl(), body, invocation.requestId, error));
        } catch (SdkException e) {
            // Not dead-lettered, so not deleted either: the message reappears after its visibility timeout.
            log.error("{}: could not dead-letter invocation {}; it will be delivered again: {}", function.name(),
                    invocation.requestId, e.toString());
            forget(invocation);
            return;
        }
        log.error("{}: invocation {} failed {} time(s); event moved to the dead-letter queue: {}", function.name(),
                invocation.requestId, invocation.attempts, SnsDeadLetter.errorMessage(error));
        deadLettered.incrementAndGet();
        delete(invocation);
    }

    private void delete(Invocation invocation) {
        try {
            sqs.deleteMessage(b -> b.queueUrl(subscription.queueUrl()).receiptHandle(invocation.message.receiptHandle()));
        } catch (SdkException e) {
            // SNS delivers at least once anyway: the function sees this event again and must (and does) shrug it off.
            log.warn("{}: could not delete handled message {}; it will be delivered again: {}", function.name(),
                    invocation.message.messageId(), e.toString());
        }
        forget(invocation);
    }

    /** Returns an unhandled message to the queue at once (closing), instead of after its visibility timeout. */
    private void giveBack(Invocation invocation) {
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(subscription.queueUrl())
                    .receiptHandle(invocation.message.receiptHandle()).visibilityTimeout(0));
        } catch (SdkException e) {
            log.debug("{}: could not return message {} to the queue: {}", function.name(), invocation.message.messageId(), e.toString());
        }
        forget(invocation);
    }

    private void forget(Invocation invocation) {
        if (waiting.remove(invocation.message.receiptHandle())) {
            room.release();
        }
    }

    private void pause(Duration d) {
        try {
            stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops polling, lets the running invocation finish (up to the function timeout), returns waiting messages
     * to the queue, and closes the function. The queues and the subscription stay.
     */
    @Override
    public void close() {
        running = false;
        stopping.countDown();
        poller.interrupt();
        environment.shutdown();
        try {
            poller.join(Duration.ofSeconds(5).toMillis());
            if (!environment.awaitTermination(timeout.toSeconds() + 5, TimeUnit.SECONDS)) {
                log.warn("{}: an invocation was still running at close", function.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Runnable queued : environment.shutdownNow()) {
            log.debug("{}: dropped a queued task at close: {}", function.name(), queued);
        }
        for (String receipt : Set.copyOf(waiting)) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(subscription.queueUrl()).receiptHandle(receipt).visibilityTimeout(0));
            } catch (SdkException e) {
                log.debug("{}: could not return a message to the queue: {}", function.name(), e.toString());
            }
        }
        function.close();
        log.info("{}: stopped after {} invocations ({} failed), {} handled, {} dead-lettered", function.name(),
                invocations(), failedInvocations(), handledMessages(), deadLetteredMessages());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One event on its way through the function: its request id is kept across retries, as on AWS. */
    private final class Invocation {
        final Message message;
        final String requestId = UUID.randomUUID().toString();
        final String eventJson;
        final IllegalArgumentException envelopeError;
        int attempts;

        Invocation(Message message) {
            this.message = message;
            String json = null;
            IllegalArgumentException error = null;
            try {
                json = SnsEventJson.event(List.of(SnsEventJson.recordFromEnvelope(message.body(), subscription.subscriptionArn())));
            } catch (IllegalArgumentException e) {
                error = e;
            }
            this.eventJson = json;
            this.envelopeError = error;
        }
    }

    /** Where the events come from and which function gets them. */
    public static final class Builder {
        private SnsClient sns;
        private SqsClient sqs;
        private String topicArn;
        private String functionName = "function";
        private String handlerClass;
        private Path deploymentJar;
        private Map<String, String> environment;
        private RequestHandler<SNSEvent, ?> handler;
        private List<Duration> retryDelays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The stack's shared SNS and SQS clients (moto). */
        public Builder stack(LocalStack stack) {
            return sns(stack.sns()).sqs(stack.sqs());
        }

        public Builder sns(SnsClient sns) {
            this.sns = sns;
            return this;
        }

        public Builder sqs(SqsClient sqs) {
            this.sqs = sqs;
            return this;
        }

        public Builder topicArn(String topicArn) {
            this.topicArn = topicArn;
            return this;
        }

        /** Names the function, its queues ({@code <name>-events}, {@code <name>-dlq}) and its threads. */
        public Builder functionName(String functionName) {
            if (!functionName.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("function name \"" + functionName + "\": use 1-64 letters, digits, - or _");
            }
            this.functionName = functionName;
            return this;
        }

        /** The handler class, created by name from this JVM's class path (or {@link #deploymentJar}). */
        public Builder handlerClass(String handlerClass) {
            this.handlerClass = handlerClass;
            return this;
        }

        /** Loads {@link #handlerClass} from this jar, isolated from the host's libraries as on Lambda. */
        public Builder deploymentJar(Path deploymentJar) {
            this.deploymentJar = deploymentJar;
            return this;
        }

        /** The function's environment variables; see {@link SnsLambdaFunction} for how they reach the handler. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** A handler the caller built, instead of {@link #handlerClass}; closed with the runtime if it is {@link AutoCloseable}. */
        public Builder handler(RequestHandler<SNSEvent, ?> handler) {
            this.handler = handler;
            return this;
        }

        /** The waits before each retry; their number is the number of retries (Lambda: two). */
        public Builder retryDelays(List<Duration> retryDelays) {
            this.retryDelays = List.copyOf(retryDelays);
            return this;
        }

        /** The function timeout the context reports (not enforced: an invocation is never cut short). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Creates the function (its constructor runs now, as Lambda's init phase would), the queues and the
         * subscription, and starts polling.
         */
        public SnsToLambdaRuntime start() {
            Objects.requireNonNull(sns, "sns client");
            Objects.requireNonNull(sqs, "sqs client");
            Objects.requireNonNull(topicArn, "topicArn");
            if ((handler == null) == (handlerClass == null)) {
                throw new IllegalArgumentException("give either a handler class or a handler instance");
            }
            SnsLambdaFunction function = handler != null ? SnsLambdaFunction.of(functionName, handler)
                    : deploymentJar != null ? SnsLambdaFunction.fromDeploymentJar(functionName, deploymentJar, handlerClass, environment)
                    : SnsLambdaFunction.fromClassPath(functionName, handlerClass, environment);
            try {
                Duration longestRun = timeout.multipliedBy(retryDelays.size() + 1L)
                        .plus(retryDelays.stream().reduce(Duration.ZERO, Duration::plus));
                Duration visibility = longestRun.plusMinutes(1);
                SnsSubscription subscription = SnsSubscription.create(sns, sqs, topicArn, functionName,
                        visibility.compareTo(Duration.ofHours(12)) > 0 ? Duration.ofHours(12) : visibility);
                log.info("{}: subscribed {} to {}; dead-letter queue {}", functionName, subscription.queueUrl(),
                        topicArn, subscription.deadLetterQueueUrl());
                return new SnsToLambdaRuntime(sqs, subscription, function, retryDelays, timeout);
            } catch (RuntimeException e) {
                function.close();
                throw e;
            }
        }
    }
}
