package dev.cloudmapdns.dns.listener;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.dns.engine.DnsReply;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.engine.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS listener: UDP and TCP on one address, so that {@code dig} works without CoreDNS.
 * Queries are answered on the event loop that read them: the engine never blocks.
 *
 * <p>On Linux it runs on epoll with {@link #defaultLoops()} event loops unless told otherwise, each
 * reading its own UDP socket bound to the same port with SO_REUSEPORT, so the kernel spreads
 * datagrams over the cores, and taking up to {@link #DATAGRAMS_PER_READ} queries per system call
 * (recvmmsg); the replies of one read leave in one sendmmsg. Elsewhere it runs on one NIO loop with
 * one UDP socket.
 *
 * <p>Overload is shed, never queued without bound: datagrams beyond what the loops can read are
 * dropped by the kernel when the socket's receive buffer is full; a reply that finds its socket's
 * outgoing queue above {@link #OUTBOUND_HIGH_WATER_MARK} bytes is dropped (the client retries, as
 * after any UDP loss); a TCP connection whose client does not read its replies is not read from
 * until it does.
 */
public final class DnsListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsListener.class);

  /** RFC 7766 suggests closing idle TCP connections after some seconds. */
  private static final int TCP_IDLE_SECONDS = 10;

  /** Replies waiting in one socket's outgoing queue, in bytes, beyond which UDP replies drop. */
  static final int OUTBOUND_HIGH_WATER_MARK = 256 * 1024;

  /**
   * The largest UDP query read whole, as before (Netty's default datagram buffer): a query is one
   * question and an OPT record, a few hundred bytes at most.
   */
  static final int MAX_QUERY_SIZE = 2048;

  /**
   * Datagrams taken from the socket in one recvmmsg call on epoll: under load one system call reads
   * this many queries instead of one.
   */
  static final int DATAGRAMS_PER_READ = 16;

  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(OUTBOUND_HIGH_WATER_MARK / 2, OUTBOUND_HIGH_WATER_MARK);

  private final DnsWireHandler handler;
  private final DnsQueryRecorder recorder;
  private final boolean epoll;
  private final int loops;
  private final EventLoopGroup group;
  private final AtomicLong droppedReplies = new AtomicLong();
  private final List<Channel> udp = new ArrayList<>();
  private Channel tcp;

  /** {@link #defaultLoops()} event loops, on epoll where the platform has it. */
  public DnsListener(DnsWireHandler handler) {
    this(handler, DnsQueryRecorder.NONE);
  }

  /**
   * {@link #defaultLoops()} event loops, on epoll where the platform has it; every answer counted.
   */
  public DnsListener(DnsWireHandler handler, DnsQueryRecorder recorder) {
    this(handler, recorder, defaultLoops());
  }

  /** {@code loops} event loops, on epoll where the platform has it; every answer counted. */
  public DnsListener(DnsWireHandler handler, DnsQueryRecorder recorder, int loops) {
    this(handler, recorder, loops, Epoll.isAvailable());
  }

  public DnsListener(DnsWireHandler handler, int loops, boolean epoll) {
    this(handler, DnsQueryRecorder.NONE, loops, epoll);
  }

  /**
   * One event loop per two available cores, at least one. The load generator, CoreDNS or the
   * application beside us needs the other cores: on two cores one loop answered more UDP queries
   * per second than two, at less CPU per answer, because two sockets sharing a port split the
   * clients' flows unevenly and then both loops contend with the client for the cores (benchmark
   * (9) in docs/benchmarks.md).
   */
  public static int defaultLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /**
   * @param loops how many event loops (and, on epoll, UDP sockets) to run
   * @param epoll whether to use Linux's epoll; it must then be {@link Epoll#isAvailable()}
   */
  public DnsListener(DnsWireHandler handler, DnsQueryRecorder recorder, int loops, boolean epoll) {
    if (loops < 1) {
      throw new IllegalArgumentException("loops must be positive");
    }
    if (epoll) {
      Epoll.ensureAvailability();
    }
    this.handler = handler;
    this.recorder = recorder;
    this.epoll = epoll;
    this.loops = loops;
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(loops, io);
  }

  /**
   * Binds UDP and TCP to {@code host:port}. With port 0, TCP takes a free port and UDP takes the
   * same one.
   */
  public void start(String host, int port) throws InterruptedException {
    Class<? extends ServerChannel> serverChannel =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    tcp =
        new ServerBootstrap()
            .group(group)
            .channel(serverChannel)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new IdleStateHandler(0, 0, TCP_IDLE_SECONDS, TimeUnit.SECONDS))
                        .addLast(new LengthFieldBasedFrameDecoder(65_535, 0, 2, 0, 2))
                        .addLast(new LengthFieldPrepender(2))
                        .addLast(new TcpQueryHandler());
                  }
                })
            .bind(host, port)
            .sync()
            .channel();
    int boundPort = ((InetSocketAddress) tcp.localAddress()).getPort();
    Class<? extends DatagramChannel> datagramChannel =
        epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(datagramChannel)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    int sockets = epoll ? loops : 1;
    if (epoll) {
      bootstrap
          .option(EpollChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_SIZE)
          .option(
              ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(MAX_QUERY_SIZE * DATAGRAMS_PER_READ));
    }
    for (int i = 0; i < sockets; i++) {
      // A handler per socket: each keeps the state of the read its one event loop is in.
      udp.add(bootstrap.handler(new UdpQueryHandler()).bind(host, boundPort).sync().channel());
    }
    LOG.info(
        "DNS listener on {} (UDP and TCP; {}, {} event loops)",
        tcp.localAddress(),
        epoll ? "epoll" : "nio",
        loops);
  }

  /** The bound TCP (and UDP) port. */
  public int port() {
    return ((InetSocketAddress) tcp.localAddress()).getPort();
  }

  /** UDP replies dropped because their socket's outgoing queue was full, since start. */
  public long droppedReplies() {
    return droppedReplies.get();
  }

  @Override
  public void close() {
    for (Channel channel : udp) {
      channel.close().syncUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * Answers the datagrams of one socket. The clock is read when a read's first datagram arrives and
   * once more when the read is complete, not twice per query: under load a read holds up to {@link
   * #DATAGRAMS_PER_READ} queries, answered one after the other, and each is recorded with the time
   * the whole read took until its replies were handed to the socket.
   */
  private final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    /** When the read in progress began; 0 between reads. */
    private long readStarted;

    /** The rcodes answered in the read in progress, recorded when it completes. */
    private int[] rcodes = new int[DATAGRAMS_PER_READ];

    private int answeredInRead;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      if (readStarted == 0) {
        readStarted = System.nanoTime();
      }
      InetSocketAddress sender = packet.sender();
      DnsReply reply = handler.handle(packet.content().nioBuffer(), Transport.UDP);
      if (reply instanceof DnsReply.Answered answered) {
        if (answeredInRead == rcodes.length) {
          rcodes = Arrays.copyOf(rcodes, rcodes.length * 2);
        }
        rcodes[answeredInRead++] = answered.rcode();
        send(ctx, answered, sender, false);
      } else if (reply instanceof DnsReply.Forwarded forwarded) {
        long started = readStarted;
        forwarded
            .reply()
            .thenAccept(
                answered -> {
                  recorder.answered(
                      DnsQueryRecorder.Channel.UDP, answered.rcode(), System.nanoTime() - started);
                  send(ctx, answered, sender, true);
                });
      }
    }

    /** The replies to every datagram of one read go out together (sendmmsg on epoll). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (answeredInRead > 0) {
        long elapsed = System.nanoTime() - readStarted;
        for (int i = 0; i < answeredInRead; i++) {
          recorder.answered(DnsQueryRecorder.Channel.UDP, rcodes[i], elapsed);
        }
        answeredInRead = 0;
      }
      readStarted = 0;
      ctx.flush();
    }

    /** Sends the reply unless the socket's outgoing queue is full: then it is dropped. */
    private void send(
        ChannelHandlerContext ctx,
        DnsReply.Answered answered,
        InetSocketAddress to,
        boolean flush) {
      if (!ctx.channel().isWritable()) {
        droppedReplies.incrementAndGet();
        return;
      }
      // Straight into a pooled direct buffer: the socket would otherwise copy a heap one there.
      byte[] wire = answered.wire();
      ByteBuf content = ctx.alloc().directBuffer(wire.length).writeBytes(wire);
      DatagramPacket packet = new DatagramPacket(content, to);
      if (flush) {
        ctx.writeAndFlush(packet, ctx.voidPromise());
      } else {
        ctx.write(packet, ctx.voidPromise());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("UDP error", cause);
    }
  }

  private final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      long started = System.nanoTime();
      DnsReply reply = handler.handle(frame.nioBuffer(), Transport.STREAM);
      if (reply instanceof DnsReply.Answered answered) {
        send(ctx, answered, started, false);
      } else if (reply instanceof DnsReply.Forwarded forwarded) {
        // Replies may overtake each other on a connection (RFC 7766 allows it): IDs match them.
        forwarded.reply().thenAccept(answered -> send(ctx, answered, started, true));
      } else {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    private void send(
        ChannelHandlerContext ctx, DnsReply.Answered answered, long started, boolean flush) {
      recorder.answered(
          DnsQueryRecorder.Channel.TCP, answered.rcode(), System.nanoTime() - started);
      if (flush) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answered.wire()), ctx.voidPromise());
      } else {
        ctx.write(Unpooled.wrappedBuffer(answered.wire()), ctx.voidPromise());
      }
    }

    /** The replies to every query of one read (a pipelining client's) go out in one write. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    /** A client that does not read its replies is not read from: its queue stays bounded. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("TCP error", cause);
      ctx.close();
    }
  }
}
