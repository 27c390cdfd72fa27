package io.monitorlab.it.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A minimal W3C WebDriver client: one headless Chromium session through {@code /usr/bin/chromedriver},
 * spoken to with {@code java.net.http} (no Selenium). {@link #close()} ends the session, the driver and
 * its browser, and deletes the temporary profile; it is idempotent. This class is not thread-safe.
 */
public final class WebDriver implements AutoCloseable {
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process driver;
  private final Path tempDir;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)   // chromedriver speaks HTTP/1.1 only: no h2c upgrade offer per request
      .connectTimeout(Duration.ofSeconds(5)).build();
  private String session;
  private boolean closed;

  private WebDriver(Process driver, Path tempDir, URI base) {
    this.driver = driver;
    this.tempDir = tempDir;
    this.base = base;
  }

  /**
   * Skips the calling test when chromedriver or chromium is missing, unless the environment variable CI is
   * set: on CI a missing browser is a broken set-up, so the test fails with an install hint.
   */
  public static void assumeAvailable() {
    if (Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM)) {
      return;
    }
    String missing = (Files.isExecutable(CHROMEDRIVER) ? "" : CHROMEDRIVER + " ")
        + (Files.isExecutable(CHROMIUM) ? "" : CHROMIUM + " ");
    String hint = "headless Chromium is needed for the dashboard tests; missing: " + missing.trim()
        + " (install: apt-get install -y chromium chromium-driver)";
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank()) {
      Assertions.fail(hint + " [CI=" + ci + ": not skipped]");
    }
    Assumptions.abort(hint + " [skipped: CI is not set]");
  }

  /** Starts chromedriver on a free loopback port and opens a headless Chromium session with a fresh profile. */
  public static WebDriver start() throws IOException {
    Path temp = Files.createTempDirectory("monitor-webdriver-");
    Path profile = Files.createDirectory(temp.resolve("profile"));
    int port = freePort();
    Process p = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("chromedriver.log").toFile())
        .start();
    WebDriver d = new WebDriver(p, temp, URI.create("http://127.0.0.1:" + port + "/"));
    try {
      d.awaitReady();
      d.session = d.newSession(profile);
      return d;
    } catch (RuntimeException e) {
      String log = d.driverLog();
      d.close();
      throw new IllegalStateException("chromedriver did not start a session: " + e.getMessage() + "\n" + log, e);
    }
  }

  /** Navigates and waits for the page's load event (not for its event stream, which never ends). */
  public void open(String url) {
    call("POST", "url", JSON.createObjectNode().put("url", url));
  }

  /**
   * Runs {@code js} as the body of a function in the page ({@code arguments[i]} are {@code args}, sent as JSON)
   * and returns what it returns, as JSON (a {@code NullNode} for undefined or null).
   */
  public JsonNode executeScript(String js, Object... args) {
    ObjectNode body = JSON.createObjectNode().put("script", js);
    ArrayNode list = body.putArray("args");
    for (Object a : args) {
      list.add(JSON.valueToTree(a));
    }
    return call("POST", "execute/sync", body);
  }

  /** Saves a PNG of the window as it is now. */
  public void screenshot(Path png) throws IOException {
    byte[] image = Base64.getDecoder().decode(call("GET", "screenshot", null).asText());
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, image);
  }

  /** The last lines chromedriver printed, for failure messages. */
  public String driverLog() {
    try {
      List<String> lines = Files.readAllLines(tempDir.resolve("chromedriver.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no chromedriver log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (session != null) {
      try {
        send("DELETE", base.resolve("session/" + session), null);
      } catch (RuntimeException e) {
        // The driver is going away anyway; its browser is ended with it below.
      }
    }
    driver.descendants().forEach(ProcessHandle::destroy);
    driver.destroy();
    try {
      if (!driver.waitFor(5, TimeUnit.SECONDS)) {
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(tempDir);
  }

  private void awaitReady() {
    AtomicReference<RuntimeException> last = new AtomicReference<>();
    try {
      await("chromedriver ready on " + base).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!driver.isAlive()) {
              throw new IllegalStateException("chromedriver exited with " + driver.exitValue());
            }
            try {
              return send("GET", base.resolve("status"), null).path("ready").asBoolean(false);
            } catch (UncheckedIOException e) {
              last.set(e);
              return false;
            }
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(e.getMessage() + "; last error: " + last.get(), e);
    }
  }

  private String newSession(Path profile) {
    ObjectNode chrome = JSON.createObjectNode().put("binary", CHROMIUM.toString());
    ArrayNode args = chrome.putArray("args");
    for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile)) {
      args.add(a);
    }
    ObjectNode caps = JSON.createObjectNode().put("browserName", "chrome");
    caps.set("goog:chromeOptions", chrome);
    caps.putObject("timeouts").put("pageLoad", 30_000).put("script", 30_000);
    ObjectNode body = JSON.createObjectNode();
    body.putObject("capabilities").set("alwaysMatch", caps);
    JsonNode value = send("POST", base.resolve("session"), body);
    return value.path("sessionId").asText();
  }

  private JsonNode call(String method, String command, JsonNode body) {
    if (closed || session == null) {
      throw new IllegalStateException("the WebDriver session is closed");
    }
    return send(method, base.resolve("session/" + session + "/" + command), body);
  }

  /** One WebDriver command; returns its "value", or throws with the driver's error and message. */
  private JsonNode send(String method, URI uri, JsonNode body) {
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/json; charset=utf-8")
        .method(method, publisher).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new UncheckedIOException("chromedriver not reachable at " + uri, e);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + uri, e);
    }
    JsonNode value;
    try {
      value = JSON.readTree(response.body()).path("value");
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + uri + ": not JSON (HTTP " + response.statusCode() + "): "
          + response.body(), e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("WebDriver " + method + " " + uri.getPath() + ": " + value.path("error").asText()
          + ": " + value.path("message").asText() + " (HTTP " + response.statusCode() + ")");
    }
    return value;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A profile file still held by a dying browser: the temp dir is cleaned by the OS later.
    }
  }
}
