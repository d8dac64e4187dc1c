package io.streamwreck.adapter.staging;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The adapter's PostgreSQL database: a HikariCP pool on pgjdbc, the schema {@value #SCHEMA} migrated by Flyway
 * on start (several instances starting at once are safe: Flyway takes a lock).
 *
 * <p>Every wait is bounded so that a database that stops answering turns into an error, not a hung request:
 * getting a connection waits at most {@code timeout}, and so does one read from the server's socket.
 */
public final class StagingDatabase implements AutoCloseable {

    public static final String SCHEMA = "adapter";

    private final HikariDataSource pool;

    private StagingDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host:port/db} (user and password may be in the URL)
     * @param poolSize connections at most
     * @param timeout  longest wait for a connection and for one answer of the server
     */
    public static StagingDatabase open(String jdbcUrl, int poolSize, Duration timeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("adapter-staging");
        config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        config.setValidationTimeout(Math.max(250, Math.min(timeout.toMillis(), 2_000)));
        config.setInitializationFailTimeout(timeout.toMillis());
        long seconds = Math.max(1, timeout.toSeconds());
        config.addDataSourceProperty("socketTimeout", Long.toString(seconds));
        config.addDataSourceProperty("connectTimeout", Long.toString(seconds));
        config.addDataSourceProperty("loginTimeout", Long.toString(seconds));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "streamwreck-adapter");
        config.setConnectionInitSql("set search_path to " + SCHEMA);
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(config);
            Flyway.configure()
                    .dataSource(pool)
                    .schemas(SCHEMA)
                    .createSchemas(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw new StagingException("cannot open the staging database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        return new StagingDatabase(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The URL without its password parameter, for messages. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
