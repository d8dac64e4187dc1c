package io.streamwreck.adapter;

import io.streamwreck.local.standin.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Log files in moto's S3 for the tests: line n of a file reads {@code <file>:<n> …}, so every line is distinct. */
final class LogFiles {

    private LogFiles() {
    }

    static S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(AwsClients.REGION).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    static String line(String file, long n) {
        return "{\"file\":\"" + file + "\",\"line\":" + n + ",\"order\":\"o-" + n + "\",\"amount\":" + (n % 997) + "}";
    }

    static byte[] content(String file, int lines, boolean gzip) {
        StringBuilder text = new StringBuilder(lines * 64);
        for (int n = 1; n <= lines; n++) {
            text.append(line(file, n)).append('\n');
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        if (!gzip) {
            return plain;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void put(S3Client s3, String bucket, String key, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }
}
