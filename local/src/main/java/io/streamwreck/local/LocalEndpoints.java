package io.streamwreck.local;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the running stand-ins are, and the environment variables that point the AWS SDKs, the aws CLI and
 * streamwreck's own programs at them (DESIGN.md "Configuration").
 */
public record LocalEndpoints(URI kinesis, URI dynamoDb, URI sns, URI sqs, URI redis) {

    /**
     * The variables, in a stable order. The access keys are placeholders the stand-ins accept (the SDKs and
     * the CLI refuse to sign without some); they are not credentials.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", AwsClients.REGION.id());
        env.put("AWS_DEFAULT_REGION", AwsClients.REGION.id());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_KINESIS", kinesis.toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.toString());
        env.put("AWS_ENDPOINT_URL_SNS", sns.toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.toString());
        env.put("REDIS_URL", redis.toString());
        return env;
    }

    /** The variables as shell {@code export} lines, for {@code eval "$(…)"} or {@code source}. */
    public String exportLines() {
        return environment().entrySet().stream()
                .map(e -> "export " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(System.lineSeparator(), "", System.lineSeparator()));
    }
}
