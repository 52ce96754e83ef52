package dev.cloudmapdns.server.health;

import dev.cloudmapdns.server.registry.HealthCheckType;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Probes on one Netty event loop: no thread per target, and a hung target costs a timer on the
 * loop, not a thread. TCP passes when the connection is established; HTTP and HTTPS send {@code GET
 * <path>} with the Host header and {@code Connection: close} and pass on a 2xx or 3xx status. HTTPS
 * does not validate the certificate, as Route 53 does not.
 *
 * <p>Every probe ends within the timeout: a timer on the loop fails it and closes its channel.
 * Connections are closed with SO_LINGER 0 (a reset, as HAProxy's checks do), so that thousands of
 * probes a second leave no TIME_WAIT sockets behind on this host.
 *
 * <p>Must be called on its event loop; calls back on it.
 */
public final class NettyProber implements Prober {
  private static final String USER_AGENT = "cloudmap-dns-health-check";

  private final EventLoop loop;
  private final long timeoutNanos;
  private final Bootstrap bootstrap;

  /** Made on the loop before the first probe (see {@link #prepare}); read only on the loop. */
  private SslContext insecureTls;

  private String tlsFailure;

  public NettyProber(EventLoop loop, Duration timeout) {
    this.loop = loop;
    this.timeoutNanos = timeout.toNanos();
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
            .option(ChannelOption.SO_LINGER, 0)
            .option(ChannelOption.TCP_NODELAY, true);
    loop.execute(this::prepare);
  }

  /**
   * The TLS client context and a warm HTTP codec, made on the loop, which runs tasks in order, so
   * before any probe: a cold JVM's class loading for both is paid here, off the start-up path (made
   * by the constructor, it was the largest step of the server's own start-up) and not out of the
   * first real probe's timeout.
   */
  private void prepare() {
    try {
      insecureTls =
          SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException | RuntimeException e) {
      tlsFailure = "cannot set up TLS: " + e;
    }
    warmUp();
  }

  /** Runs one request and response through the HTTP codec off the network. */
  private static void warmUp() {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec());
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ReferenceCountUtil.release(channel.readOutbound());
    channel.writeInbound(
        Unpooled.copiedBuffer("HTTP/1.1 204 No Content\r\n\r\n", StandardCharsets.US_ASCII));
    for (Object message; (message = channel.readInbound()) != null; ) {
      ReferenceCountUtil.release(message);
    }
    channel.finishAndReleaseAll();
  }

  @Override
  public void probe(CheckTarget target, Consumer<ProbeResult> done) {
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(target.address());
    if (address == null) {
      done.accept(ProbeResult.failed("not an IP address"));
      return;
    }
    if (target.type() == HealthCheckType.HTTPS && insecureTls == null) {
      done.accept(ProbeResult.failed(tlsFailure));
      return;
    }
    Probe probe = new Probe(done);
    probe.timer =
        loop.schedule(
            () -> probe.finish(ProbeResult.failed("timeout")), timeoutNanos, TimeUnit.NANOSECONDS);
    ChannelFuture connect =
        bootstrap
            .clone()
            .handler(new ProbeInitializer(target, probe))
            .connect(new InetSocketAddress(address, target.port()));
    probe.channel = connect.channel();
    if (probe.finished) {
      probe.channel.close();
    }
    connect.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            probe.finish(ProbeResult.failed(reason(f.cause())));
          } else if (target.type() == HealthCheckType.TCP) {
            probe.finish(ProbeResult.passed("connected"));
          }
        });
  }

  private static String reason(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "timeout";
    }
    if (cause instanceof ConnectException) {
      return "refused";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** One probe's completion: exactly once, then the timer is cancelled and the channel closed. */
  private static final class Probe {
    private final Consumer<ProbeResult> done;
    private boolean finished;
    private Channel channel;
    private ScheduledFuture<?> timer;

    Probe(Consumer<ProbeResult> done) {
      this.done = done;
    }

    void finish(ProbeResult result) {
      if (finished) {
        return;
      }
      finished = true;
      if (timer != null) {
        timer.cancel(false);
      }
      if (channel != null) {
        channel.close();
      }
      done.accept(result);
    }
  }

  private final class ProbeInitializer extends ChannelInitializer<SocketChannel> {
    private final CheckTarget target;
    private final Probe probe;

    ProbeInitializer(CheckTarget target, Probe probe) {
      this.target = target;
      this.probe = probe;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
      if (target.type() == HealthCheckType.TCP) {
        return;
      }
      if (target.type() == HealthCheckType.HTTPS) {
        channel
            .pipeline()
            .addLast(insecureTls.newHandler(channel.alloc(), target.address(), target.port()));
      }
      channel
          .pipeline()
          .addLast(new HttpClientCodec())
          .addLast(new HttpStatusHandler(target, probe));
    }
  }

  /** Sends the GET once connected and judges the first response line. */
  private static final class HttpStatusHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final CheckTarget target;
    private final Probe probe;

    HttpStatusHandler(CheckTarget target, Probe probe) {
      this.target = target;
      this.probe = probe;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      FullHttpRequest request =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.path());
      request
          .headers()
          .set(HttpHeaderNames.HOST, target.hostHeader())
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
          .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
          .set(HttpHeaderNames.ACCEPT, "*/*");
      ctx.writeAndFlush(request);
      ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
      if (message instanceof HttpResponse response) {
        int code = response.status().code();
        String reason = "http " + code;
        probe.finish(
            code >= 200 && code < 400 ? ProbeResult.passed(reason) : ProbeResult.failed(reason));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      probe.finish(ProbeResult.failed("closed without a response"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      probe.finish(ProbeResult.failed(reason(cause)));
    }
  }
}
