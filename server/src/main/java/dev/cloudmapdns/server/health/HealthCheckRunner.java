package dev.cloudmapdns.server.health;

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

/**
 * The health workers as they run: one event loop thread for every probe and timer, one publisher
 * thread that pushes statuses into the registry, and the {@link HealthWorkers} that follow the
 * registry. The application and the benchmarks start them the same way, through here.
 */
public final class HealthCheckRunner implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("health-probes", true), NioIoHandler.newFactory());
  private final ExecutorService publisher =
      Executors.newSingleThreadExecutor(new DefaultThreadFactory("health-publisher", true));

  /** Starts checking every instance of {@code registry} that has an active check. */
  public HealthCheckRunner(Registry registry, HealthSettings settings, HealthMetrics metrics) {
    this(registry, settings, metrics, CheckOwnership.EVERY_INSTANCE);
  }

  /** Starts checking the instances of {@code registry} with an active check that it owns. */
  public HealthCheckRunner(
      Registry registry, HealthSettings settings, HealthMetrics metrics, CheckOwnership ownership) {
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
            Clock.systemUTC(),
            ownership));
  }

  /** Stops every probe and timer; statuses not yet pushed are dropped. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    publisher.shutdownNow();
  }
}
