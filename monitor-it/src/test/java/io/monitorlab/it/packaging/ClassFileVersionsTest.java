package io.monitorlab.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The application jars hold no class file older than Java 6, which JDK 17's class-data archive cannot keep
 * (scripts/build/ClassFileVersions.java rewrites picocli's at package time), and their archive's log names
 * none of ours as skipped for it.
 */
class ClassFileVersionsTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void noClassFileOlderThanJava6IsShipped(String app) throws IOException {
    Path target = Repo.root().resolve("monitor-" + app).resolve("target");
    List<String> old = new ArrayList<>();
    int classes = 0;
    try (ZipFile jar = new ZipFile(target.resolve("monitor-" + app + ".jar").toFile())) {
      for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
          classes++;
          try (InputStream in = jar.getInputStream(entry)) {
            byte[] head = in.readNBytes(8);
            int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
            if (major < 50) {
              old.add(entry.getName() + " (" + major + ")");
            }
          }
        }
      }
    }
    assertThat(classes).as("class files in the jar").isGreaterThan(1000);
    assertThat(old).as("class files older than Java 6").isEmpty();
    assertThat(jarHasPicocli(target.resolve("monitor-" + app + ".jar"))).isTrue();
    Path log = target.resolve("monitor-" + app + ".jsa.log");
    if (Files.isRegularFile(log)) {
      // The JDK's own generated reflection accessors are version 49 too: not ours to change.
      assertThat(Files.readAllLines(log)).filteredOn(l -> l.contains("Pre JDK 6 class not supported"))
          .allMatch(l -> l.contains("jdk/internal/reflect/Generated"));
    }
  }

  private static boolean jarHasPicocli(Path jar) throws IOException {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      return z.getEntry("picocli/CommandLine.class") != null;
    }
  }
}
