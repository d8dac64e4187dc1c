package io.streamwreck.adapter.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The database URL as users write it: a JDBC URL, or the libpq form {@code postgresql://user:password@host:port/db}. */
final class JdbcUrls {

    private JdbcUrls() {
    }

    static String toJdbc(String url) {
        String u = url.strip();
        if (u.startsWith("jdbc:postgresql:")) {
            return u;
        }
        if (!u.startsWith("postgresql://") && !u.startsWith("postgres://")) {
            throw new IllegalArgumentException("--database-url: \"" + u.replaceAll(":[^:@/]*@", ":***@")
                    + "\" is neither jdbc:postgresql://… nor postgresql://…");
        }
        URI uri = URI.create(u);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
        String sep = "?";
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
            sep = "&";
        }
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            jdbc.append(sep).append("user=").append(URLEncoder.encode(parts[0], StandardCharsets.UTF_8));
            if (parts.length == 2) {
                jdbc.append("&password=").append(URLEncoder.encode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return jdbc.toString();
    }
}
