package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import dev.cloudmapdns.proto.coredns.DnsPacket;
import dev.cloudmapdns.proto.coredns.DnsServiceGrpc;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which gRPC calls run on the transport thread, and which on the application's pool. */
class DnsQueryCallExecutorTest {
  private static final String APPLICATION_THREAD = "application-pool";

  private final ExecutorService application =
      Executors.newSingleThreadExecutor(task -> new Thread(task, APPLICATION_THREAD));
  private final DnsQueryCallExecutor executors = new DnsQueryCallExecutor(application);

  @AfterEach
  void stopPool() {
    application.shutdownNow();
  }

  @Test
  void leavesCoreDnsQueriesOnTheServersOwnExecutorTheTransportThread() {
    assertNull(executors.getExecutor(call(DnsServiceGrpc.getQueryMethod()), new Metadata()));
  }

  @Test
  void runsEveryOtherMethodOnTheApplicationsPool() {
    assertSame(
        application, executors.getExecutor(call(HealthGrpc.getCheckMethod()), new Metadata()));
  }

  @Test
  void aServerConfiguredSoAnswersQueriesWithoutAHandOffAndTheRestOnThePool() throws Exception {
    AtomicReference<String> queryThread = new AtomicReference<>();
    AtomicReference<String> healthThread = new AtomicReference<>();
    String name = InProcessServerBuilder.generateName();
    Server server =
        executors
            .configure(InProcessServerBuilder.forName(name))
            .addService(
                new DnsServiceGrpc.DnsServiceImplBase() {
                  @Override
                  public void query(DnsPacket request, StreamObserver<DnsPacket> response) {
                    queryThread.set(Thread.currentThread().getName());
                    response.onNext(request);
                    response.onCompleted();
                  }
                })
            .addService(
                new HealthGrpc.HealthImplBase() {
                  @Override
                  public void check(
                      HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
                    healthThread.set(Thread.currentThread().getName());
                    response.onNext(HealthCheckResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      DnsServiceGrpc.newBlockingStub(channel)
          .query(DnsPacket.newBuilder().setMsg(ByteString.copyFromUtf8("q")).build());
      HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    assertNotEquals(APPLICATION_THREAD, queryThread.get());
    assertEquals(APPLICATION_THREAD, healthThread.get());
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
