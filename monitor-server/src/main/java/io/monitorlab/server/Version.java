package io.monitorlab.server;

import picocli.CommandLine;

/** The version from the jar manifest. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"monitor-server " + (v == null ? "dev" : v)};
  }
}
