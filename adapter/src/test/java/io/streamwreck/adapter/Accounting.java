package io.streamwreck.adapter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer-side account of a test run: every line of every file staged once, each with a key that is in the
 * stream under the line's partition key; a second copy in the stream only for a line whose put outcome was
 * unknown (claimed twice or retried), and then every copy accounted for.
 */
final class Accounting {

    private Accounting() {
    }

    /**
     * @param expectedLines {@code <object key>:<line>} of every line the files hold
     * @return the number of lines written twice (a copy in the stream beyond the first)
     */
    static int check(StagedLines staged, Map<String, Long> fileIds, Set<String> expectedLines, List<StreamContents.Entry> stream) throws Exception {
        Map<String, List<String>> keys = staged.keysBySource();
        assertThat(keys.keySet()).as("staged lines").hasSameSizeAs(expectedLines).containsAll(expectedLines);
        assertThat(keys.values().stream().filter(List::isEmpty).count()).as("unwritten lines").isZero();
        Map<String, List<String>> inStream = StreamContents.keysByPartitionKey(stream);
        Map<String, Boolean> uncertain = staged.uncertainBySource();
        int twice = 0;
        List<String> unexplained = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            String source = e.getKey();
            String objectKey = source.substring(0, source.lastIndexOf(':'));
            String partitionKey = fileIds.get(objectKey) + source.substring(source.lastIndexOf(':'));
            List<String> copies = inStream.getOrDefault(partitionKey, List.of());
            assertThat(copies).as("copies of " + source + " in the stream").containsAll(e.getValue());
            if (copies.size() > 1) {
                twice++;
                if (!uncertain.get(source)) {
                    unexplained.add(source + " " + copies + " (staged keys " + e.getValue() + ")");
                }
            }
        }
        assertThat(unexplained).as("lines in the stream twice although no put of theirs had an unknown outcome").isEmpty();
        Set<String> partitionKeys = new HashSet<>();
        keys.keySet().forEach(s -> partitionKeys.add(fileIds.get(s.substring(0, s.lastIndexOf(':'))) + s.substring(s.lastIndexOf(':'))));
        assertThat(inStream.keySet()).as("records in the stream that no staged line explains").isSubsetOf(partitionKeys);
        return twice;
    }
}
