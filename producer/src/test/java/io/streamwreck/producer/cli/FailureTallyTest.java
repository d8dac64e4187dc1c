package io.streamwreck.producer.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTallyTest {

    @Test
    void numbersInTheCauseDoNotSplitAGroup() {
        FailureTally tally = new FailureTally();
        tally.add(new IllegalStateException("timed out after 58 millis"));
        tally.add(new IllegalStateException("timed out after 63 millis"));
        StringWriter err = new StringWriter();

        tally.print(new PrintWriter(err, true), 5);

        assertThat(err.toString().lines()).containsExactly(
                "failed: 2 record(s) like this one: java.lang.IllegalStateException: timed out after 58 millis");
    }

    @Test
    void failuresAreGroupedByCauseMostFrequentFirstAndCutToTheLimit() {
        FailureTally tally = new FailureTally();
        for (int i = 0; i < 3; i++) {
            tally.add(new IllegalStateException("a"));
        }
        tally.add(new IllegalStateException("b"));
        tally.add(new IllegalStateException("b"));
        tally.add(new IllegalStateException("c"));
        StringWriter err = new StringWriter();

        tally.print(new PrintWriter(err, true), 2);

        assertThat(err.toString().lines()).containsExactly(
                "failed: 3 record(s) like this one: java.lang.IllegalStateException: a",
                "failed: 2 record(s) like this one: java.lang.IllegalStateException: b",
                "failed: … and 1 other cause(s)");
    }
}
