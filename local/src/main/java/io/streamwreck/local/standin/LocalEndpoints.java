package io.streamwreck.local.standin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where the running stand-ins are, and the environment variables that point the AWS SDKs, the aws CLI and
 * streamwreck's own programs at them (DESIGN.md "Configuration").
 */
public record LocalEndpoints(URI kinesis, URI dynamoDb, URI sns, URI sqs, URI redis) {

    /** The placeholder access key every local program signs with (the checking API stand-in accepts only it). */
    public static final String ACCESS_KEY_ID = "local";
    /** Its placeholder secret: not a credential. */
    public static final String SECRET_ACCESS_KEY = "local";

    /**
     * The variables, in a stable order. The access keys are placeholders the stand-ins accept (the SDKs and
     * the CLI refuse to sign without some); they are not credentials.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", AwsClients.REGION.id());
        env.put("AWS_DEFAULT_REGION", AwsClients.REGION.id());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        env.put("AWS_ENDPOINT_URL_KINESIS", kinesis.toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.toString());
        env.put("AWS_ENDPOINT_URL_SNS", sns.toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.toString());
        env.put("AWS_ENDPOINT_URL_S3", s3().toString());
        env.put("REDIS_URL", redis.toString());
        return env;
    }

    /** moto serves S3 on the port it serves SNS and SQS on (path-style addressing). */
    public URI s3() {
        return sns;
    }

    /**
     * Variables as POSIX shell {@code export} lines, one per variable, each value quoted so that it comes back
     * exactly — spaces, quotes, {@code $}, backslashes, newlines — through {@code eval "$(cat FILE)"} or
     * {@code . FILE} in sh or bash.
     *
     * @throws IllegalArgumentException for a name that is not a shell variable name, or a value with a NUL
     *                                  (no environment can hold one)
     */
    public static String exportLines(Map<String, String> environment) {
        return environment.entrySet().stream()
                .map(e -> "export " + variableName(e.getKey()) + "=" + shellQuote(e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * A value as one shell word: unchanged when it holds only characters no shell treats specially (so URLs and
     * ARNs stay readable), otherwise in single quotes, each {@code '} written as {@code '\''}.
     */
    static String shellQuote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an environment value cannot hold a NUL character");
        }
        if (!value.isEmpty() && SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String variableName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a shell variable name: \"" + name + "\"");
        }
        return name;
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
}
