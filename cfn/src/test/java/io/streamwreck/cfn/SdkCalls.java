package io.streamwreck.cfn;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The AWS API operations a jar's code can call, as IAM actions, read from the method references in its classes
 * to the SDK v2 service clients (async and sync). Every referenced operation counts, reachable or not: for a
 * permission list that errs on the side of asking.
 */
final class SdkCalls {

    /** SDK client interface (internal name prefix) → IAM service prefix. */
    private static final Map<String, String> CLIENTS = Map.of(
            "software/amazon/awssdk/services/kinesis/Kinesis", "kinesis",
            "software/amazon/awssdk/services/dynamodb/DynamoDb", "dynamodb",
            "software/amazon/awssdk/services/sns/Sns", "sns",
            "software/amazon/awssdk/services/cloudwatch/CloudWatch", "cloudwatch",
            "software/amazon/awssdk/services/s3/S3", "s3",
            "software/amazon/awssdk/services/sqs/Sqs", "sqs");

    /** Operations IAM authorises under another action's name. */
    private static final Map<String, String> AUTHORISED_AS = Map.of("sns:PublishBatch", "sns:Publish",
            "s3:HeadObject", "s3:GetObject");

    private SdkCalls() {
    }

    static Set<String> in(Path jar) {
        Set<String> actions = new TreeSet<>();
        for (ClassConstants c : JarClasses.read(jar,
                n -> n.startsWith("io/streamwreck/") || n.startsWith("software/amazon/kinesis/"))) {
            for (ClassConstants.MethodRef m : c.methodRefs) {
                String service = service(m.owner());
                if (service != null && isOperation(m)) {
                    String action = service + ":" + Character.toUpperCase(m.name().charAt(0))
                            + m.name().substring(1).replaceFirst("Paginator$", "");
                    actions.add(AUTHORISED_AS.getOrDefault(action, action));
                }
            }
        }
        return actions;
    }

    private static String service(String owner) {
        for (var e : CLIENTS.entrySet()) {
            if (owner.equals(e.getKey() + "AsyncClient") || owner.equals(e.getKey() + "Client")) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * An API call returns a future (async), a response (sync), a paginator, or (S3's getObject) the response's stream
     * or bytes; close() and friends do not.
     */
    private static boolean isOperation(ClassConstants.MethodRef m) {
        String returns = m.descriptor().substring(m.descriptor().indexOf(')') + 1);
        return returns.equals("Ljava/util/concurrent/CompletableFuture;") || returns.endsWith("Response;")
                || returns.equals("Lsoftware/amazon/awssdk/core/ResponseInputStream;")
                || returns.equals("Lsoftware/amazon/awssdk/core/ResponseBytes;")
                || m.name().endsWith("Paginator");
    }
}
