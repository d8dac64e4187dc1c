package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamwreck.local.standin.LocalStack;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One run of the command in this JVM, with its exit code and what it wrote. */
record CheckerRun(int exitCode, String stdout, String stderr) {

    static {
        // The SDK signs every request; the stand-ins accept any credentials (placeholders, not secrets).
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    static CheckerRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = StreamCheckerMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CheckerRun(code, out.toString(), err.toString());
    }

    /** The flags that point the command at the stack's Kinesis and DynamoDB (lease tables). */
    static List<String> kinesisOf(LocalStack stack) {
        return List.of("--kinesis-endpoint", stack.endpoints().kinesis().toString(), "--region", "us-east-1",
                "--dynamodb-endpoint", stack.endpoints().dynamoDb().toString());
    }

    static CheckerRun run(LocalStack stack, String... args) {
        List<String> all = new ArrayList<>(kinesisOf(stack));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** The JSON report with the fields that differ between runs (when, how long, and the lag's age at the scan) removed. */
    JsonNode report() {
        try {
            ObjectNode json = (ObjectNode) new ObjectMapper().readTree(stdout);
            json.remove("ScanStarted");
            json.remove("Seconds");
            for (JsonNode shard : json.path("Shards")) {
                if (shard.get("Behind") instanceof ObjectNode behind) {
                    behind.remove("Seconds");
                }
            }
            return json;
        } catch (Exception e) {
            throw new AssertionError("not a JSON report: " + stdout + "\nstderr: " + stderr, e);
        }
    }
}
