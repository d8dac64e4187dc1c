package io.streamwreck.adapter.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcUrlsTest {

    @Test
    void libpqUrlsBecomeJdbcUrlsAndJdbcUrlsStay() {
        assertThat(JdbcUrls.toJdbc("postgresql://ad:p%40ss@db.internal:5433/staging?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.internal:5433/staging?sslmode=require&user=ad&password=p%40ss");
        assertThat(JdbcUrls.toJdbc("jdbc:postgresql://h/d?user=u")).isEqualTo("jdbc:postgresql://h/d?user=u");
        assertThatThrownBy(() -> JdbcUrls.toJdbc("mysql://u:secret@h/d")).hasMessageNotContaining("secret").hasMessageContaining("neither");
    }

    @Test
    void aPasswordGivenApartIsAddedEncodedAndNeverTwice() {
        assertThat(JdbcUrls.toJdbc("postgresql://streamwreck@db.internal:5432/staging?sslmode=require", java.util.Optional.of("a&b=c")))
                .isEqualTo("jdbc:postgresql://db.internal:5432/staging?sslmode=require&user=streamwreck&password=a%26b%3Dc");
        assertThat(JdbcUrls.toJdbc("jdbc:postgresql://h/d", java.util.Optional.of("p"))).isEqualTo("jdbc:postgresql://h/d?password=p");
        assertThat(JdbcUrls.toJdbc("jdbc:postgresql://h/d?user=u", java.util.Optional.empty())).isEqualTo("jdbc:postgresql://h/d?user=u");
        assertThatThrownBy(() -> JdbcUrls.toJdbc("postgresql://u:secret@h/d", java.util.Optional.of("other")))
                .hasMessageContaining("DATABASE_PASSWORD").hasMessageNotContaining("secret").hasMessageNotContaining("other");
    }
}
