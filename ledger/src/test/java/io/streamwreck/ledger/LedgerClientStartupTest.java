package io.streamwreck.ledger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;

class LedgerClientStartupTest {

    /** A preload list that names a class a lettuce or reactor upgrade renamed would silently stop helping. */
    @Test
    void everyConnectionClassExists() {
        for (String name : LedgerClientStartup.CONNECTION_CLASSES) {
            assertThatCode(() -> Class.forName(name, false, LedgerClientStartup.class.getClassLoader()))
                    .as(name).doesNotThrowAnyException();
        }
    }
}
