package io.monitorlab.server.access;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.OneLine;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings etcd's roles and users to an {@link AccessPlan}, idempotently: what exists as wanted is left
 * alone, what is missing is created or granted, a permission a role should not have is revoked; every
 * change is printed as one {@code [Access]} line, and so is "unchanged". Users made here get a random
 * password nobody keeps: they authenticate with a client certificate whose CN is their name (etcd's
 * {@code --client-cert-auth}). Used by one command at a time; not thread-safe.
 */
public final class EtcdAccess {
  private final Auth auth;
  private final EtcdEndpoints endpoints;
  private final PrintWriter out;
  private final SecureRandom random = new SecureRandom();

  public EtcdAccess(Client client, EtcdEndpoints endpoints, PrintWriter out) {
    this.auth = client.getAuthClient();
    this.endpoints = endpoints;
    this.out = out;
  }

  public void ensureRole(AccessPlan.Role role) throws InterruptedException {
    ByteSequence name = bytes(role.name());
    List<String> changes = new ArrayList<>();
    if (!call(auth.roleList()).getRoles().contains(role.name())) {
      call(auth.roleAdd(name));
      changes.add("created");
    }
    List<Permission> have = call(auth.roleGet(name)).getPermissions();
    for (AccessPlan.Grant g : role.grants()) {
      if (have.stream().noneMatch(p -> same(p, g))) {
        call(auth.roleGrantPermission(name, bytes(g.key()), bytes(g.rangeEnd()), Permission.Type.valueOf(g.type().name())));
        changes.add("granted " + g.describe());
      }
    }
    for (Permission p : have) {
      if (role.grants().stream().noneMatch(g -> same(p, g))) {
        call(auth.roleRevokePermission(name, p.getKey(), p.getRangeEnd()));
        changes.add("revoked " + text(p.getKey()) + (p.getRangeEnd().isEmpty() ? "" : " (range)") + ", which it should not have");
      }
    }
    report("role " + role.name(), changes);
  }

  public void ensureUser(AccessPlan.User user) throws InterruptedException {
    ByteSequence name = bytes(user.name());
    List<String> changes = new ArrayList<>();
    if (!call(auth.userList()).getUsers().contains(user.name())) {
      call(auth.userAdd(name, bytes(randomPassword())));
      changes.add("created; it authenticates with a client certificate whose CN is " + user.name());
    }
    if (!call(auth.userGet(name)).getRoles().contains(user.role())) {
      call(auth.userGrantRole(name, bytes(user.role())));
      changes.add("granted role " + user.role());
    }
    report("user " + user.name(), changes);
  }

  /** Role monitor-node-NODE with exactly NODE's keys, and user NODE with that role. */
  public void addNode(String node) throws InterruptedException {
    ensureRole(AccessPlan.node(node));
    ensureUser(new AccessPlan.User(node, AccessPlan.nodeRole(node)));
  }

  /** Deletes user NODE and role monitor-node-NODE, each if present. */
  public void removeNode(String node) throws InterruptedException {
    removeUser(node);
    removeRole(AccessPlan.nodeRole(node));
  }

  private void removeUser(String user) throws InterruptedException {
    if (call(auth.userList()).getUsers().contains(user)) {
      call(auth.userDelete(bytes(user)));
      line("user " + user + ": deleted");
    } else {
      line("user " + user + ": absent, nothing to delete");
    }
  }

  private void removeRole(String role) throws InterruptedException {
    if (call(auth.roleList()).getRoles().contains(role)) {
      call(auth.roleDelete(bytes(role)));
      line("role " + role + ": deleted");
    } else {
      line("role " + role + ": absent, nothing to delete");
    }
  }

  /** Makes sure user root (role root) exists, then turns authentication on; etcd accepts that twice. */
  public void enableAuth() throws InterruptedException {
    Set<String> users = Set.copyOf(call(auth.userList()).getUsers());
    if (!users.contains("root")) {
      call(auth.userAdd(bytes("root"), bytes(randomPassword())));
      line("user root: created; it authenticates with a client certificate whose CN is root");
    }
    if (!call(auth.userGet(bytes("root"))).getRoles().contains("root")) {
      call(auth.userGrantRole(bytes("root"), bytes("root")));
      line("user root: granted role root");
    }
    call(auth.authEnable());
    line("auth: enabled (etcd now refuses requests without a known user)");
  }

  private static boolean same(Permission p, AccessPlan.Grant g) {
    return p.getPermType().name().equals(g.type().name()) && text(p.getKey()).equals(g.key())
        && text(p.getRangeEnd()).equals(g.rangeEnd());
  }

  private void report(String what, List<String> changes) {
    line(what + ": " + (changes.isEmpty() ? "unchanged" : changes.stream().collect(Collectors.joining("; "))));
  }

  private void line(String s) {
    out.println("[Access] " + OneLine.of(s));
    out.flush();
  }

  private <T> T call(java.util.concurrent.CompletableFuture<T> f) throws InterruptedException {
    return EtcdClients.call(f, endpoints);
  }

  private String randomPassword() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static ByteSequence bytes(String s) {
    return EtcdClients.bytes(s);
  }

  private static String text(ByteSequence b) {
    return EtcdClients.text(b);
  }
}
