package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;

/** Which gRPC calls run on the transport thread. */
class DnsQueryCallExecutorTest {
  private final DnsQueryCallExecutor executors = new DnsQueryCallExecutor();

  @Test
  void runsCoreDnsQueriesOnTheTransportThread() {
    assertNotNull(executors.getExecutor(call(DnsServiceGrpc.getQueryMethod()), new Metadata()));
  }

  @Test
  void leavesEveryOtherMethodOnTheServersExecutor() {
    assertNull(executors.getExecutor(call(HealthGrpc.getCheckMethod()), new Metadata()));
  }

  private static <Q, R> ServerCall<Q, R> call(MethodDescriptor<Q, R> method) {
    return new ServerCall<>() {
      @Override
      public void request(int numMessages) {}

      @Override
      public void sendHeaders(Metadata headers) {}

      @Override
      public void sendMessage(R message) {}

      @Override
      public void close(Status status, Metadata trailers) {}

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public Attributes getAttributes() {
        return Attributes.EMPTY;
      }

      @Override
      public MethodDescriptor<Q, R> getMethodDescriptor() {
        return method;
      }
    };
  }
}
