package io.streamwreck.streamchecker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamwreck.local.standin.TetheredProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's own WebSocket client: open
 * a page, evaluate script in it (type into a field, click a link, read the DOM), take a screenshot. No npm driver
 * and no browser download: the browser is the one bin/deps installs. Started through local's
 * {@link TetheredProcess}, so it never outlives the test JVM; the flags are LOCAL-STACK.md's (as root, on a closed
 * network).
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(60);

    private final Path profile;
    private final TetheredProcess process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger loads = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private HeadlessChromium(Path profile, TetheredProcess process, WebSocket socket) {
        this.profile = profile;
        this.process = process;
        this.socket = socket;
    }

    /** The browser's binary, or null when it is not installed (bin/deps installs it). */
    static Path binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** Starts a browser with a fresh profile under {@code workDir}, one page open on about:blank. */
    static HeadlessChromium start(Path workDir) {
        Path binary = binary();
        if (binary == null) {
            throw new IllegalStateException("no chromium: run bin/deps (Debian package chromium)");
        }
        try {
            Files.createDirectories(workDir);
            Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
            TetheredProcess process = TetheredProcess.start("chromium", List.of(binary.toString(), "--headless",
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
                    "--hide-scrollbars", "--window-size=1400,1000", "--user-data-dir=" + profile,
                    "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"),
                    Map.of(), workDir, workDir.resolve(profile.getFileName() + ".log"));
            // With port 0 the browser picks a free port and writes it (and the browser's path) to this file.
            Path activePort = profile.resolve("DevToolsActivePort");
            await().atMost(START).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || Files.isRegularFile(activePort) && Files.readAllLines(activePort).size() >= 2);
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited at start: " + process.logTail(20));
            }
            int port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(CALL).build(), HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    page = t.get("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (page == null) {
                process.close();
                throw new IllegalStateException("chromium has no page open: " + targets);
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(CALL)
                    .buildAsync(URI.create(page), new Listener(() -> self[0])).get(CALL.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(profile, process, socket);
            self[0].call("Page.enable", JSON.createObjectNode());
            self[0].call("Runtime.enable", JSON.createObjectNode());
            return self[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot connect to chromium's DevTools: " + e, e);
        }
    }

    /** Collects each message (it may come in parts) and completes the call it answers; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Supplier<HeadlessChromium> owner;
        private final StringBuilder message = new StringBuilder();

        Listener(java.util.function.Supplier<HeadlessChromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                try {
                    JsonNode node = JSON.readTree(text);
                    HeadlessChromium browser = owner.get();
                    if (node.has("id") && browser != null) {
                        CompletableFuture<JsonNode> call = browser.calls.remove(node.get("id").asInt());
                        if (call != null) {
                            call.complete(node);
                        }
                    }
                } catch (IOException e) {
                    // Not JSON: not an answer to anything asked.
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** One DevTools call; its {@code result}, or an exception with the browser's error. */
    JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        try {
            socket.sendText(message.toString(), true).get(CALL.toSeconds(), TimeUnit.SECONDS);
            JsonNode reply = answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.get("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer: " + e, e);
        } finally {
            calls.remove(id);
        }
    }

    /**
     * Loads {@code file} afresh (a query of its own, so even the page already open is loaded again) and waits until
     * the page's script has drawn it and the frame is painted ({@code data-painted-ms} on the root element).
     */
    void open(Path file, String hash) {
        String search = "?load=" + loads.incrementAndGet();
        call("Page.navigate", JSON.createObjectNode().put("url", file.toUri() + search + (hash == null ? "" : hash)));
        await().atMost(CALL).pollInterval(Duration.ofMillis(50)).until(() -> evaluate("location.search === '" + search
                + "' && document.readyState === 'complete' && document.documentElement.hasAttribute('data-painted-ms')").asBoolean());
    }

    /** Evaluates {@code expression} in the page; its value (JSON-able values only). */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? JSON.nullNode() : value;
    }

    /** A PNG of the whole page, not only the window. */
    void screenshot(Path png) {
        JsonNode metrics = call("Page.getLayoutMetrics", JSON.createObjectNode());
        JsonNode size = metrics.get("cssContentSize");
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0)
                .put("width", Math.min(4000, size.get("width").asDouble()))
                .put("height", Math.min(16000, size.get("height").asDouble())).put("scale", 1);
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        byte[] bytes = Base64.getDecoder().decode(call("Page.captureScreenshot", params).get("data").asText());
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.abort();
        process.stop(Duration.ofSeconds(5));
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Only a leftover profile under target/.
        }
    }
}
