package dev.cloudmapdns.benchmarks;

import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.health.HealthWorkers;
import dev.cloudmapdns.server.health.NettyProber;
import dev.cloudmapdns.server.registry.Registry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The health workers as the application runs them: one probe loop, one publisher thread. */
final class Checkers implements AutoCloseable {
  final HealthMetrics metrics = new HealthMetrics();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("health-probes", true), NioIoHandler.newFactory());
  private final ExecutorService publisher =
      Executors.newSingleThreadExecutor(new DefaultThreadFactory("health-publisher", true));

  Checkers(Registry registry, HealthSettings settings) {
    EventLoop loop = group.next();
    registry.addListener(
        new HealthWorkers(
            registry,
            new NettyProber(loop, settings.timeout()),
            loop,
            publisher,
            settings,
            metrics,
            transition -> {},
            Clock.systemUTC()));
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    publisher.shutdownNow();
  }
}
