package io.streamwreck.local.lambda;

import io.streamwreck.local.standin.AwsClients;
import io.streamwreck.local.standin.LocalEndpoints;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What API Gateway does for a route with IAM authorisation ({@code AWS_IAM}), for the local stand-in: checks the
 * request's SigV4 signature (header form, service {@code execute-api}) against one set of credentials and one
 * region, and refuses what API Gateway refuses — with API Gateway's 403 messages and {@code x-amzn-ErrorType}s:
 * no signature, a malformed one, another region or service in the credential scope, an unknown access key, a
 * signing time more than 5 minutes off, a signature that does not match.
 *
 * <p>The signature is recomputed here from the canonical request (AWS's published algorithm), not with the
 * SDK's signer: the SDK's signer always adds and signs {@code x-amz-content-sha256}, so re-signing a request
 * signed by another client (curl's {@code --aws-sigv4} signs no such header) would never match. The tests check
 * this verifier against both the SDK's signer and curl.
 */
public final class SigV4Verifier {

    /** API Gateway's allowed clock skew between the signing time and its own. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    public static final String SERVICE = "execute-api";

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKeyId;
    private final byte[] secret;
    private final String region;
    private final Clock clock;

    /**
     * @param clock the stand-in's clock (a test moves it to make a fresh signature look expired)
     */
    public SigV4Verifier(String accessKeyId, String secretAccessKey, String region, Clock clock) {
        this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
        this.secret = ("AWS4" + Objects.requireNonNull(secretAccessKey, "secretAccessKey")).getBytes(StandardCharsets.UTF_8);
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The local stack's own credentials and region (what {@code make up} exports), on the system clock. */
    public static SigV4Verifier forLocalStack() {
        return new SigV4Verifier(LocalEndpoints.ACCESS_KEY_ID, LocalEndpoints.SECRET_ACCESS_KEY, AwsClients.REGION.id(),
                Clock.systemUTC());
    }

    public String region() {
        return region;
    }

    /** Why API Gateway would refuse a request: its {@code x-amzn-ErrorType} and {@code message}. */
    public record Refusal(String errorType, String message) {
    }

    /**
     * @param method  the HTTP method
     * @param rawPath the path as sent (percent-encoded)
     * @param rawQuery the query as sent, or null
     * @param headers every request header (names in any case; values as sent)
     * @param body    the request body
     * @return empty when the signature is valid, else why not
     */
    public Optional<Refusal> check(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        String authorization = first(lower, "authorization");
        if (authorization == null) {
            return refuse("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            return refuse("IncompleteSignatureException", "Authorization header requires '" + ALGORITHM + "' signatures (SigV4).");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!parts.containsKey(required)) {
                return refuse("IncompleteSignatureException", "Authorization header requires '" + required + "' parameter.");
            }
        }
        String[] scope = parts.get("Credential").split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return refuse("IncompleteSignatureException", "Credential should be scoped with a valid terminator: 'aws4_request'.");
        }
        if (!scope[2].equals(region)) {
            return refuse("InvalidSignatureException", "Credential should be scoped to a valid region. ");
        }
        if (!scope[3].equals(SERVICE)) {
            return refuse("InvalidSignatureException", "Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        if (!scope[0].equals(accessKeyId)) {
            return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        String amzDate = first(lower, "x-amz-date");
        Instant signedAt;
        try {
            signedAt = amzDate == null ? null : Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            signedAt = null;
        }
        if (signedAt == null) {
            return refuse("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return refuse("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return refuse("InvalidSignatureException", "Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        if (!scope[1].equals(amzDate.substring(0, 8))) {
            return refuse("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope[1] + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        String signedHeaders = parts.get("SignedHeaders");
        String canonical = canonicalRequest(method, rawPath, rawQuery, lower, signedHeaders, body);
        String credentialScope = String.join("/", scope[1], scope[2], scope[3], scope[4]);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n" + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(secret, scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, scope[4]);
        String expected = HEX.formatHex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), parts.get("Signature").getBytes(StandardCharsets.US_ASCII))) {
            return refuse("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(String type, String message) {
        return Optional.of(new Refusal(type, message));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The canonical request: method, the path with every segment URI-encoded again (SigV4 for every service but
     * S3 encodes the already-encoded path once more), the sorted and encoded query, the signed headers (lower case,
     * values trimmed with inner runs of spaces collapsed, several values joined by commas), their names, and the
     * SHA-256 of the body as received (a body changed after signing no longer matches, whatever
     * {@code x-amz-content-sha256} claims).
     */
    private static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                                           String signedHeaders, byte[] body) {
        StringBuilder c = new StringBuilder(method.toUpperCase(Locale.ROOT)).append('\n');
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(encode(segment));
        }
        c.append(String.join("/", segments)).append('\n');
        TreeMap<String, List<String>> query = new TreeMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(encode(name), k -> new ArrayList<>()).add(encode(value));
            }
        }
        List<String> pairs = new ArrayList<>();
        query.forEach((name, values) -> values.stream().sorted().forEach(v -> pairs.add(name + "=" + v)));
        c.append(String.join("&", pairs)).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = headers.getOrDefault(name, List.of());
            List<String> trimmed = values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList();
            c.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        c.append('\n').append(signedHeaders).append('\n');
        c.append(HEX.formatHex(sha256(body)));
        return c.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 asks. */
    private static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
                out.append(ch);
            } else {
                out.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
