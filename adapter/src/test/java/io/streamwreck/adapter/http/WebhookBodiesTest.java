package io.streamwreck.adapter.http;

import io.streamwreck.adapter.TableRoutes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookBodiesTest {

    private final WebhookBodies bodies = new WebhookBodies(TableRoutes.parse("orders=orders-stream,clicks"));

    @Test
    void theSeedsBodyNamesTableAndObject() {
        List<WebhookBodies.Wanted> w = bodies.parse("{\"table\": \"orders\", \"s3path\": \"s3://logs/a/b.log\"}", Optional.empty());
        assertThat(w).singleElement().satisfies(x -> {
            assertThat(x.stream()).isEqualTo("orders-stream");
            assertThat(x.object().bucket()).isEqualTo("logs");
            assertThat(x.object().key()).isEqualTo("a/b.log");
        });
    }

    @Test
    void anS3EventTakesItsTableFromTheParameterOrTheKeysPrefixAndSkipsRemovals() {
        String event = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"logs\"},"
                + "\"object\":{\"key\":\"clicks/x+y%21.gz\"}}},{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\"}]}";
        assertThat(bodies.parse(event, Optional.empty())).singleElement().satisfies(x -> {
            assertThat(x.table()).isEqualTo("clicks");
            assertThat(x.stream()).isEqualTo("clicks");
            assertThat(x.object().key()).isEqualTo("clicks/x y!.gz");
        });
        assertThat(bodies.parse(event, Optional.of("orders")).get(0).stream()).isEqualTo("orders-stream");
    }

    @Test
    void eventBridgeAndTestEvents() {
        String eb = "{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{\"bucket\":{\"name\":\"logs\"},\"object\":{\"key\":\"orders/1.log\"}}}";
        assertThat(bodies.parse(eb, Optional.empty())).singleElement().satisfies(x -> assertThat(x.table()).isEqualTo("orders"));
        assertThat(bodies.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}", Optional.empty())).isEmpty();
    }

    @Test
    void errorsNameWhatIsWrong() {
        assertThatThrownBy(() -> bodies.parse("{\"table\":\"nope\",\"s3path\":\"s3://logs/k\"}", Optional.empty()))
                .isInstanceOf(WebhookException.class).hasMessageContaining("unknown table \"nope\"").hasMessageContaining("orders, clicks");
        assertThatThrownBy(() -> bodies.parse("{\"table\":\"orders\",\"s3path\":\"s3://logs/k\"}", Optional.of("clicks")))
                .hasMessageContaining("differs");
        assertThatThrownBy(() -> TableRoutes.parse("a=b=c")).hasMessageContaining("\"a=b=c\"");
    }
}
