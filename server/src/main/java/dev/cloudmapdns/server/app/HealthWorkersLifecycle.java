package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.health.HealthMetrics;
import dev.cloudmapdns.server.health.HealthSettings;
import dev.cloudmapdns.server.health.HealthWorkers;
import dev.cloudmapdns.server.health.NettyProber;
import dev.cloudmapdns.server.registry.Registry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the health workers for the life of the application: one event loop thread for every probe
 * and timer, and one publisher thread that pushes statuses into the registry.
 */
@Context
@Requires(property = "cloudmap.health.enabled", notEquals = "false")
final class HealthWorkersLifecycle implements AutoCloseable {
  private final EventLoopGroup group;
  private final ExecutorService publisher;

  HealthWorkersLifecycle(Registry registry, HealthConfiguration config, HealthMetrics metrics) {
    HealthSettings settings = config.settings();
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("health-probes", true), NioIoHandler.newFactory());
    publisher =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("health-publisher", true));
    EventLoop loop = group.next();
    HealthWorkers workers =
        new HealthWorkers(
            registry,
            new NettyProber(loop, settings.timeout()),
            loop,
            publisher,
            settings,
            metrics,
            transition -> {},
            Clock.systemUTC());
    registry.addListener(workers);
  }

  @Override
  @PreDestroy
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    publisher.shutdownNow();
  }
}
