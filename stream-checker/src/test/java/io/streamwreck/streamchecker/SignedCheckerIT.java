package io.streamwreck.streamchecker;

import io.streamwreck.core.RecordKey;
import io.streamwreck.ledger.RedisLedger;
import io.streamwreck.ledger.Scope;
import io.streamwreck.local.junit.WithLocalStack;
import io.streamwreck.local.lambda.ApiGatewayServer;
import io.streamwreck.local.lambda.SigV4Verifier;
import io.streamwreck.local.standin.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker API with IAM authorisation, as deployed: the checker Lambda from its deployment jar behind the API
 * Gateway stand-in that requires SigV4 signatures. The stream-checker signs with the local credentials (the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} properties {@link CheckerRun} sets, the SDK's default chain),
 * gets the same report as from the open stand-in, and turns every refusal into one line and exit 2.
 */
@WithLocalStack
class SignedCheckerIT {

    private static final Path CHECKER_JAR = Path.of("../checker-lambda/target/checker-lambda.jar");
    private static final String HANDLER = "io.streamwreck.checker.CheckerHandler::handleRequest";
    private static final String S0 = "shardId-000000000000";
    private static final String S1 = "shardId-000000000001";

    private static RedisLedger ledger;
    private static String redis;
    private final List<ApiGatewayServer> servers = new ArrayList<>();

    @BeforeAll
    static void connect(LocalStack stack) {
        assertThat(CHECKER_JAR).as("the checker's deployment jar (mvn install -pl checker-lambda)").isRegularFile();
        redis = stack.endpoints().redis().toString();
        ledger = RedisLedger.connect(redis, false, Duration.ofHours(1));
    }

    @AfterAll
    static void disconnect() {
        ledger.close();
    }

    @AfterEach
    void stop() {
        servers.forEach(ApiGatewayServer::close);
    }

    private ApiGatewayServer checker(SigV4Verifier verifier) {
        ApiGatewayServer server = ApiGatewayServer.fromDeploymentPackage("checker-lambda", CHECKER_JAR, HANDLER, Map.of("REDIS_URL", redis));
        servers.add(server);
        if (verifier != null) {
            server.requireSignatures(verifier);
        }
        return server.start(0);
    }

    @Test
    void aSignedScanThroughTheCheckingStandInGivesTheSameReportAsWithoutIt(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "signed", 2);
        TestLedger notices = new TestLedger(ledger, new Scope(stream.name(), "billing"));
        List<RecordKey> a = stream.putPlain(S0, 30);
        List<RecordKey> b = stream.putAggregated(S1, 5);
        notices.notice(a.subList(0, 25), a.subList(0, 22));
        notices.notice(a.subList(5, 7), a.subList(5, 7));
        notices.notice(b, b.subList(1, 5));
        ApiGatewayServer open = checker(null);
        ApiGatewayServer iam = checker(SigV4Verifier.forLocalStack());

        CheckerRun unsigned = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint", open.url().toString(),
                "--settle", "0s", "--format", "json", "--batch", "7");
        CheckerRun signed = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint", iam.url().toString(),
                "--sign", "--settle", "0s", "--format", "json", "--batch", "7");

        assertThat(unsigned.exitCode()).as(unsigned.stderr()).isEqualTo(1);
        assertThat(signed.exitCode()).as(signed.stderr()).isEqualTo(1);
        // a: 3 skipped, 5 undelivered, 2 duplicated; b: 1 skipped user record.
        assertThat(signed.report().get("Drift").asLong()).isEqualTo(3 + 5 + 2 + 1);
        assertThat(signed.report()).isEqualTo(unsigned.report());
    }

    @Test
    void anUnsignedScanIsRefusedInOneLine(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "unsigned", 1);
        stream.putPlain(S0, 2);
        ApiGatewayServer iam = checker(SigV4Verifier.forLocalStack());

        // http:// is unsigned by default, as for make up's open stand-in.
        CheckerRun run = CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint", iam.url().toString(), "--settle", "0s");

        assertRefused(run, iam, "Missing Authentication Token");
        assertThat(run.stderr()).contains("execute-api:Invoke on arn:aws:execute-api:<region>:<account>:<api id>/<stage>/GET/health")
                .contains("(this one was sent unsigned: use --sign or CHECKER_SIGN=true)");
    }

    @Test
    void aWronglySignedExpiredOrWrongRegionScanIsRefusedInOneLine(LocalStack stack) {
        TestStream stream = TestStream.create(stack, "wrongly-signed", 1);
        stream.putPlain(S0, 2);
        // The stand-ins are what differs: another secret, another region, a clock 6 minutes ahead (so the
        // stream-checker's fresh signature is expired there); the stream-checker signs as local/local in us-east-1.
        ApiGatewayServer otherSecret = checker(new SigV4Verifier("local", "another-secret", "us-east-1", Clock.systemUTC()));
        ApiGatewayServer otherKey = checker(new SigV4Verifier("someone-else", "local", "us-east-1", Clock.systemUTC()));
        ApiGatewayServer otherRegion = checker(new SigV4Verifier("local", "local", "eu-west-1", Clock.systemUTC()));
        ApiGatewayServer ahead = checker(new SigV4Verifier("local", "local", "us-east-1",
                Clock.offset(Clock.systemUTC(), SigV4Verifier.MAX_SKEW.plusMinutes(1))));

        assertRefused(scan(stack, stream, otherSecret), otherSecret, "The request signature we calculated does not match the signature you provided.");
        assertRefused(scan(stack, stream, otherKey), otherKey, "The security token included in the request is invalid.");
        assertRefused(scan(stack, stream, otherRegion), otherRegion, "Credential should be scoped to a valid region.");
        assertRefused(scan(stack, stream, ahead), ahead, "Signature expired: ");
    }

    private static CheckerRun scan(LocalStack stack, TestStream stream, ApiGatewayServer checker) {
        return CheckerRun.run(stack, "--stream", stream.name(), "--app", "billing", "--endpoint", checker.url().toString(),
                "--sign", "--settle", "0s");
    }

    private static void assertRefused(CheckerRun run, ApiGatewayServer checker, String why) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines()).singleElement().asString()
                .startsWith("error: not allowed to call GET " + checker.url() + "/health (403 " + why)
                .contains(" — the caller needs execute-api:Invoke on arn:aws:execute-api:");
    }
}
