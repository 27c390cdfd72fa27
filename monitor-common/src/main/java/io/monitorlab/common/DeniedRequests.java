package io.monitorlab.common;

import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * Adds to etcd's bare "permission denied" which operation on which key was refused, e.g.
 * {@code etcdserver: permission denied (put /monitor/heartbeat/worker2)}, for every call of a client,
 * so that a person knows which role lacks what. A gRPC interceptor: it remembers what each call asked
 * for and rewrites only the description of a PERMISSION_DENIED status. Thread-safe.
 */
final class DeniedRequests implements ClientInterceptor {
  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      /** The last request sent; described only when etcd refuses it, so a call that succeeds costs nothing. */
      private volatile Object request;

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            Status s = status;
            if (status.getCode() == Status.Code.PERMISSION_DENIED) {
              String asked = request == null ? null : describe(request);
              s = status.withDescription(status.getDescription() + " (" + (asked != null ? asked : method.getBareMethodName()) + ")");
            }
            super.onClose(s, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(Q message) {
        request = message;
        super.sendMessage(message);
      }
    };
  }

  /** {@code put KEY}, {@code read KEY}, {@code read prefix KEY}, {@code delete KEY}; null for other requests. */
  static String describe(Object message) {
    if (message instanceof PutRequest r) {
      return "put " + text(r.getKey().toByteArray());
    }
    if (message instanceof RangeRequest r) {
      return "read " + (r.getRangeEnd().isEmpty() ? "" : "range from ") + text(r.getKey().toByteArray());
    }
    if (message instanceof DeleteRangeRequest r) {
      return "delete " + (r.getRangeEnd().isEmpty() ? "" : "range from ") + text(r.getKey().toByteArray());
    }
    if (message instanceof TxnRequest r) {
      StringBuilder out = new StringBuilder("transaction:");
      for (RequestOp op : r.getSuccessList()) {
        String one = op.hasRequestPut() ? describe(op.getRequestPut())
            : op.hasRequestRange() ? describe(op.getRequestRange())
            : op.hasRequestDeleteRange() ? describe(op.getRequestDeleteRange()) : null;
        if (one != null) {
          out.append(' ').append(one);
        }
      }
      return out.toString();
    }
    return null;
  }

  private static String text(byte[] key) {
    return OneLine.of(new String(key, StandardCharsets.UTF_8));
  }
}
