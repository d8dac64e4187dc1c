package io.streamwreck.adapter.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The database URL as users write it: a JDBC URL, or the libpq form {@code postgresql://user:password@host:port/db}. */
final class JdbcUrls {

    private JdbcUrls() {
    }

    /**
     * The database URL with the password given apart from it ({@code DATABASE_PASSWORD}: on ECS a secret, injected
     * from Secrets Manager, so the URL in the task definition carries none).
     *
     * @throws IllegalArgumentException when the URL carries a password too
     */
    static String toJdbc(String url, java.util.Optional<String> password) {
        String jdbc = toJdbc(url);
        if (password.isEmpty() || password.get().isEmpty()) {
            return jdbc;
        }
        String query = jdbc.indexOf('?') < 0 ? "" : jdbc.substring(jdbc.indexOf('?') + 1);
        for (String param : query.split("&")) {
            if (param.startsWith("password=")) {
                throw new IllegalArgumentException("--database-url carries a password and $DATABASE_PASSWORD is set too; give it once");
            }
        }
        return jdbc + (query.isEmpty() && jdbc.indexOf('?') < 0 ? "?" : "&") + "password="
                + URLEncoder.encode(password.get(), StandardCharsets.UTF_8);
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
