package io.monitorlab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.monitorlab.it.support.WebDriver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's own files (from the monitor-server classpath) in real headless Chromium, against a fake
 * API: canned JSON for the snapshot and the transitions, and an event stream the test writes into.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
  private static final Path SCREENSHOT = Path.of("target", "dashboard-page.png");
  private static final double NOW = Instant.now().toEpochMilli() / 1000.0;

  private static FakeApi api;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    WebDriver.assumeAvailable();
    api = FakeApi.start();
    browser = WebDriver.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aNodeThatDiesTurnsDeadLiveWithoutAReload() {
    openWith(10, List.of(node("worker1", "ALIVE", 40, 40), node("worker2", "ALIVE", 40, 40)),
        List.of(transition("worker2", "ALIVE", "registered", 9), transition("worker1", "ALIVE", "registered", 8)));
    assertThat(rowStates()).containsExactly("worker1=ALIVE", "worker2=ALIVE");
    assertThat(text("#count-ALIVE")).isEqualTo("2");
    browser.executeScript("window.loadedOnce = 'still here';");

    // The snapshot keeps saying ALIVE: DEAD can only come from the event stream.
    api.push("transition", transition("worker2", "DEAD", "lease expired", 11));
    api.push("nodes", nodesEvent(11, List.of(node("worker2", "DEAD", 40, 40)), List.of()));

    awaitPage("document.querySelector('tr[data-node=\"worker2\"]').dataset.state === 'DEAD'");
    assertThat(rowStates()).containsExactly("worker2=DEAD", "worker1=ALIVE");   // trouble first
    assertThat(browser.executeScript("return window.loadedOnce;").asText()).isEqualTo("still here");
    assertThat(text("#count-DEAD")).isEqualTo("1");
    assertThat(text("#count-ALIVE")).isEqualTo("1");
    assertThat(text("#feed li")).contains("worker2").contains("DEAD").contains("lease expired");
  }

  @Test
  void etcdLostShowsTheBannerUntilContactIsBack() {
    openWith(20, List.of(node("worker1", "ALIVE", 0, 0)), List.of());
    assertThat(isHidden("#etcd-banner")).isTrue();

    api.push("etcd", JSON.createObjectNode().put("etcd", "lost").put("silence_seconds", 3.2));
    awaitPage("!document.getElementById('etcd-banner').hidden");
    assertThat(text("#etcd-banner")).contains("The monitor cannot see etcd: node states are UNKNOWN until contact is restored");

    api.push("etcd", JSON.createObjectNode().put("etcd", "ok").put("silence_seconds", 0.0));
    awaitPage("document.getElementById('etcd-banner').hidden");
  }

  @Test
  void withoutTheEventStreamThePagePollsAndSaysSo() {
    openWith(40, List.of(node("worker1", "ALIVE", 0, 0)), List.of());
    browser.executeScript("window.loadedOnce = 'still here';");

    api.streamDown(true);   // ends the open stream; reconnections get 503
    awaitPage("!document.getElementById('stream-banner').hidden");
    api.snapshot(41, List.of(node("worker1", "DEAD", 0, 0)), List.of(transition("worker1", "DEAD", "lease expired", 41)));
    awaitPage("document.querySelector('tr[data-node=\"worker1\"]').dataset.state === 'DEAD'");
    assertThat(text("#live")).isEqualTo("polling");
    assertThat(text("#feed li")).contains("worker1").contains("lease expired");

    api.streamDown(false);
    awaitPage("document.getElementById('live').textContent === 'live'"
        + " && document.getElementById('stream-banner').hidden");
    assertThat(browser.executeScript("return window.loadedOnce;").asText()).isEqualTo("still here");
  }

  @Test
  void tenThousandNodesRenderFastAndFilterByName() throws IOException {
    List<ObjectNode> fleet = new ArrayList<>();
    for (int i = 1; i <= 10_000; i++) {
      fleet.add(generated(i));
    }
    List<ObjectNode> feed = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      feed.add(transition(String.format("node-%05d", i * 97), i % 3 == 0 ? "ALIVE" : "DEAD",
          i % 3 == 0 ? "heartbeat" : "lease expired", 5000 - i));
    }
    List<Long> runs = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      openWith(5000, fleet, feed);
      runs.add(browser.executeScript(
          "return Math.round(performance.getEntriesByName('dashboard-ready', 'mark')[0].startTime);").asLong());
      phases.add(browser.executeScript("const at = (type, test, field) => {"
          + "  const e = performance.getEntriesByType(type).find(test); return e ? Math.round(e[field]) : '?'; };"
          + "const api = r => r.name.includes('api/v1/nodes');"
          + "return 'page ' + at('navigation', () => true, 'domContentLoadedEventStart')"
          + " + ', snapshot asked ' + at('resource', api, 'startTime') + ', received ' + at('resource', api, 'responseEnd')"
          + " + ', parsed ' + at('mark', m => m.name === 'dashboard-snapshot-parsed', 'startTime');").asText());
    }
    List<Long> sorted = runs.stream().sorted().toList();
    System.out.println("[Bench] dashboard first render 10000 nodes: " + sorted.get(1) + " ms (median of 3 page loads: "
        + runs + "; ms from navigation: " + String.join(" | ", phases) + ")");
    assertThat(sorted.get(1)).as("first render in ms (goal: 2000, see the [Bench] line)").isLessThan(10_000);

    int total = 0;
    for (String s : List.of("ALIVE", "DEAD", "MISSING", "LEFT", "UNKNOWN")) {
      total += Integer.parseInt(text("#count-" + s));
    }
    assertThat(total).isEqualTo(10_000);
    assertThat(browser.executeScript("return document.querySelectorAll('#rows tr[data-node]').length;").asInt())
        .as("rows in the DOM: only those in view").isBetween(10, 200);
    filter("node-001");   // a hundred nodes in every state, for the picture
    awaitPage("document.getElementById('shown').textContent.startsWith('100 of 10000')");
    browser.executeScript("document.querySelector('#rows tr[data-state=\"ALIVE\"]').click();");
    browser.screenshot(SCREENSHOT);

    filter("node-0424");
    awaitPage("document.querySelectorAll('#rows tr[data-node]').length === 10");
    assertThat(rowStates()).allSatisfy(r -> assertThat(r).startsWith("node-0424"));
    assertThat(text("#shown")).contains("10 of 10000");

    filter("");
    awaitPage("document.getElementById('shown').textContent === '10000 nodes'");
    browser.executeScript("const s = document.getElementById('scroller'); s.scrollTop = s.scrollHeight;");
    awaitPage("[...document.querySelectorAll('#rows tr[data-node]')].pop().dataset.node === 'node-10000'");
    browser.executeScript("const b = document.querySelector('th[data-sort=\"cpu\"] button'); b.click(); b.click();");
    awaitPage("document.querySelector('#rows tr[data-node]').dataset.node === 'node-10000'");
  }

  @Test
  void hostileNodeNamesAreShownAsText() {
    String img = "<img src=x onerror=\"window.injected = 1\">";
    String script = "\"><script>window.injected = 2</script>";
    openWith(30, List.of(node(img, "DEAD", 0, 0), node(script, "ALIVE", 0, 0)),
        List.of(transition(img, "DEAD", "<b onmouseover=alert(1)>lease expired</b>", 29)));
    api.push("transition", transition(script, "ALIVE", "<img src=y onerror=\"window.injected = 3\">", 31));

    awaitPage("document.querySelectorAll('#feed li').length === 2");
    assertThat(browser.executeScript("return [...document.querySelectorAll('#rows tr[data-node]')]"
        + ".map(tr => tr.firstChild.textContent);")).extracting(JsonNode::asText).containsExactly(img, script);
    assertThat(browser.executeScript("document.querySelector('#rows tr[data-node]').click();"
        + "return document.getElementById('detail-name').textContent;").asText()).isEqualTo(img);
    assertThat(browser.executeScript("return document.querySelectorAll('body img, body script, #feed b').length;")
        .asInt()).isZero();
    assertThat(browser.executeScript("return window.injected === undefined;").asBoolean()).isTrue();
  }

  // ---- page helpers ---------------------------------------------------------------------------------

  private static void openWith(long revision, List<ObjectNode> nodes, List<ObjectNode> transitions) {
    api.streamDown(false);
    api.snapshot(revision, nodes, transitions);
    browser.open(api.base());
    awaitPage("document.body.dataset.ready === '1' && document.getElementById('live').textContent === 'live'");
  }

  private static void filter(String text) {
    browser.executeScript("const f = document.getElementById('filter'); f.value = arguments[0];"
        + "f.dispatchEvent(new Event('input'));", text);
  }

  private static void awaitPage(String condition) {
    await(condition).atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(50))
        .until(() -> browser.executeScript("return !!(" + condition + ");").asBoolean());
  }

  private static String text(String selector) {
    return browser.executeScript("const e = document.querySelector(arguments[0]); return e && e.textContent;", selector)
        .asText();
  }

  private static boolean isHidden(String selector) {
    return browser.executeScript("return document.querySelector(arguments[0]).hidden;", selector).asBoolean();
  }

  private static List<String> rowStates() {
    List<String> out = new ArrayList<>();
    browser.executeScript("return [...document.querySelectorAll('#rows tr[data-node]')]"
        + ".map(tr => tr.dataset.node + '=' + tr.dataset.state);").forEach(n -> out.add(n.asText()));
    return out;
  }

  // ---- canned API data ------------------------------------------------------------------------------

  private static ObjectNode node(String name, String state, long desired, long applied) {
    ObjectNode n = JSON.createObjectNode().put("node", name).put("state", state).put("since", NOW - 300);
    if ("ALIVE".equals(state)) {
      n.put("last_heartbeat", NOW - 2);
      n.putObject("heartbeat").put("status", "alive").put("ts", NOW - 2).put("hostname", name);
    } else {
      n.put("last_heartbeat", NOW - 310);
      n.putNull("heartbeat");
    }
    ObjectNode c = n.putObject("config").put("desired_revision", desired).put("applied_revision", applied)
        .put("applied_at", NOW - 3600).putNull("rejected_revision").putNull("rejected_reason").put("interval", 10);
    c.putArray("metrics").add("cpu").add("memory").add("disk");
    n.putNull("metrics");
    return n;
  }

  /** A varied fleet: every state, every kind of config, metrics on most nodes. */
  private static ObjectNode generated(int i) {
    String state = i % 97 == 0 ? "DEAD" : i % 89 == 0 ? "MISSING" : i % 53 == 0 ? "LEFT" : i % 211 == 0 ? "UNKNOWN"
        : "ALIVE";
    ObjectNode n = node(String.format("node-%05d", i), state, i % 7 == 0 ? 0 : i % 13 == 0 ? 41 : 40, i % 7 == 0 ? 0 : 40);
    n.put("since", NOW - (i % 5000) * 7.3);
    ObjectNode c = (ObjectNode) n.get("config");
    if (i % 301 == 0) {
      c.put("desired_revision", 44).put("rejected_revision", 44).put("rejected_reason", "interval: must be 1..3600, got 0");
    }
    if ("ALIVE".equals(state)) {
      n.put("last_heartbeat", NOW - i % 11);
      ObjectNode m = n.putObject("metrics").put("ts", NOW - i % 11);
      m.putObject("cpu").put("usage_ratio", i / 10_000.0);
      long total = 16L << 30;
      m.putObject("memory").put("total_bytes", total).put("available_bytes", total * ((i * 37) % 100) / 100);
      ObjectNode disk = m.putObject("disk");
      disk.putObject("/").put("size_bytes", 100L << 30).put("avail_bytes", (100L << 30) * ((i * 13) % 100) / 100);
      disk.putObject("/var").put("size_bytes", 500L << 30).put("avail_bytes", (400L << 30));
      m.putObject("load").put("load1", 0.5).put("load5", 0.4).put("load15", 0.3);
      m.putObject("network").putObject("eth0").put("rx_bytes_per_second", 1200.0).put("tx_bytes_per_second", 800.0);
    }
    return n;
  }

  private static ObjectNode transition(String name, String state, String reason, long revision) {
    String time = Instant.ofEpochMilli(Math.round((NOW - 5000 + revision) * 1000)).toString();
    return JSON.createObjectNode().put("time", time).put("node", name).put("state", state).put("reason", reason)
        .put("revision", revision).put("source", "watch");
  }

  private static ObjectNode nodesEvent(long revision, List<ObjectNode> nodes, List<String> removed) {
    ObjectNode e = JSON.createObjectNode().put("revision", revision);
    e.putArray("nodes").addAll(nodes);
    ArrayNode gone = e.putArray("removed");
    removed.forEach(gone::add);
    return e;
  }

  /** The monitor's HTTP API as the dashboard sees it, with canned answers and a stream the test writes into. */
  private static final class FakeApi implements AutoCloseable {
    private static final String WEB = "io/monitorlab/server/web/";
    private static final byte[] END = new byte[0];
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<BlockingQueue<byte[]>> streams = new CopyOnWriteArrayList<>();
    private volatile boolean streamDown;
    private volatile byte[] nodes = "{}".getBytes(StandardCharsets.UTF_8);
    private volatile byte[] transitions = "{\"transitions\": []}".getBytes(StandardCharsets.UTF_8);

    private FakeApi(HttpServer server) {
      this.server = server;
    }

    static FakeApi start() throws IOException {
      FakeApi api = new FakeApi(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
      api.server.setExecutor(api.executor);
      api.server.createContext("/", api::page);
      api.server.createContext("/api/v1/nodes", e -> send(e, 200, "application/json", api.nodes));
      api.server.createContext("/api/v1/transitions", e -> send(e, 200, "application/json", api.transitions));
      api.server.createContext("/api/v1/events", api::events);
      api.server.start();
      return api;
    }

    String base() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    void snapshot(long revision, List<ObjectNode> fleet, List<ObjectNode> feed) {
      ObjectNode body = JSON.createObjectNode().put("revision", revision).put("etcd", "ok")
          .put("generated_at", Instant.now().toEpochMilli() / 1000.0);
      body.putArray("nodes").addAll(fleet);
      nodes = body.toString().getBytes(StandardCharsets.UTF_8);
      ObjectNode t = JSON.createObjectNode();
      t.putArray("transitions").addAll(feed);
      transitions = t.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one event to every open stream (pages that were left close theirs on the next write). */
    void push(String event, JsonNode data) {
      byte[] m = ("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
      streams.forEach(q -> q.add(m));
    }

    private void page(HttpExchange e) throws IOException {
      String path = e.getRequestURI().getPath();
      String name = path.equals("/") ? "index.html" : path.substring(1);
      String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
          : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
      try (InputStream in = name.matches("index\\.html|app\\.js|app\\.css")
          ? DashboardPageTest.class.getClassLoader().getResourceAsStream(WEB + name) : null) {
        if (in == null) {
          send(e, 404, "application/json", "{\"error\": \"not found\"}".getBytes(StandardCharsets.UTF_8));
        } else {
          send(e, 200, type, in.readAllBytes());
        }
      }
    }

    /** Down: open streams end and new ones are refused with 503, as by a proxy in front of a dead monitor. */
    void streamDown(boolean down) {
      streamDown = down;
      if (down) {
        streams.forEach(q -> q.add(END));
      }
    }

    private void events(HttpExchange e) throws IOException {
      if (streamDown) {
        send(e, 503, "application/json", "{\"error\": \"unavailable\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
      streams.add(queue);   // before the headers: whatever is pushed once the page sees the stream open arrives
      e.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      e.getResponseHeaders().set("Cache-Control", "no-cache");
      e.sendResponseHeaders(200, 0);
      try (OutputStream out = e.getResponseBody()) {
        out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        for (byte[] m = queue.poll(15, TimeUnit.SECONDS); m != END; m = queue.poll(15, TimeUnit.SECONDS)) {
          out.write(m == null ? ": ping\n\n".getBytes(StandardCharsets.UTF_8) : m);
          out.flush();
        }
      } catch (IOException gone) {
        // The page went away: nothing to do.
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
      } finally {
        streams.remove(queue);
        e.close();
      }
    }

    private static void send(HttpExchange e, int status, String type, byte[] body) throws IOException {
      e.getResponseHeaders().set("Content-Type", type);
      e.getResponseHeaders().set("Cache-Control", "no-store");
      e.sendResponseHeaders(status, body.length);
      try (OutputStream out = e.getResponseBody()) {
        out.write(body);
      }
    }

    @Override
    public void close() {
      streams.forEach(q -> q.add(END));
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
