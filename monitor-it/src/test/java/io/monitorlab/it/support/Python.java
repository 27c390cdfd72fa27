package io.monitorlab.it.support;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The lab's Python side: Debian's interpreter with python3-etcd3 0.12.0, and the lab scripts. */
public final class Python {
  /** Explicitly Debian's: a pyenv {@code python3} on the PATH has no etcd3. */
  public static final String INTERPRETER = "/usr/bin/python3";

  private Python() {}

  /** Whether {@code /usr/bin/python3 -c 'import etcd3'} succeeds. */
  public static boolean hasEtcd3() {
    try (RunningProcess p = RunningProcess.run("python-probe",
        new Command(List.of(INTERPRETER, "-c", "import etcd3"), java.util.Map.of()), Duration.ofSeconds(30))) {
      return p.exitCode() == 0;
    } catch (RuntimeException | AssertionError e) {
      return false;
    }
  }

  /** A lab script from the test resources ({@code lab/NAME}). */
  public static Path script(String name) {
    URL url = Python.class.getResource("/lab/" + name);
    if (url == null) {
      throw new IllegalStateException("test resource lab/" + name + " is missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad resource URL " + url, e);
    }
  }
}
