package dev.cloudmapdns.dns.listener;

import dev.cloudmapdns.dns.engine.DnsQueryRecorder;
import dev.cloudmapdns.dns.engine.DnsReply;
import dev.cloudmapdns.dns.engine.DnsWireHandler;
import dev.cloudmapdns.dns.engine.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS listener: UDP and TCP on one address, so that {@code dig} works without CoreDNS.
 * Queries are answered on the event loop: the engine never blocks.
 */
public final class DnsListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsListener.class);

  /** RFC 7766 suggests closing idle TCP connections after some seconds. */
  private static final int TCP_IDLE_SECONDS = 10;

  private final DnsWireHandler handler;
  private final DnsQueryRecorder recorder;
  private final EventLoopGroup group;
  private Channel udp;
  private Channel tcp;

  public DnsListener(DnsWireHandler handler) {
    this(handler, DnsQueryRecorder.NONE);
  }

  public DnsListener(DnsWireHandler handler, DnsQueryRecorder recorder) {
    this.handler = handler;
    this.recorder = recorder;
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  /**
   * Binds UDP and TCP to {@code host:port}. With port 0, TCP takes a free port and UDP takes the
   * same one.
   */
  public void start(String host, int port) throws InterruptedException {
    tcp =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
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
    udp =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(new UdpQueryHandler())
            .bind(host, boundPort)
            .sync()
            .channel();
    LOG.info("DNS listener on {} (UDP and TCP)", tcp.localAddress());
  }

  /** The bound TCP (and UDP) port. */
  public int port() {
    return ((InetSocketAddress) tcp.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (udp != null) {
      udp.close().syncUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      long started = System.nanoTime();
      byte[] query = ByteBufUtil.getBytes(packet.content());
      InetSocketAddress sender = packet.sender();
      DnsReply reply = handler.handle(query, Transport.UDP);
      if (reply instanceof DnsReply.Answered answered) {
        send(ctx, answered, sender, started);
      } else if (reply instanceof DnsReply.Forwarded forwarded) {
        forwarded.reply().thenAccept(answered -> send(ctx, answered, sender, started));
      }
    }

    private void send(
        ChannelHandlerContext ctx,
        DnsReply.Answered answered,
        InetSocketAddress sender,
        long started) {
      recorder.answered(
          DnsQueryRecorder.Channel.UDP, answered.rcode(), System.nanoTime() - started);
      ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(answered.wire()), sender));
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
      byte[] query = ByteBufUtil.getBytes(frame);
      DnsReply reply = handler.handle(query, Transport.STREAM);
      if (reply instanceof DnsReply.Answered answered) {
        send(ctx, answered, started);
      } else if (reply instanceof DnsReply.Forwarded forwarded) {
        // Replies may overtake each other on a connection (RFC 7766 allows it): IDs match them.
        forwarded.reply().thenAccept(answered -> send(ctx, answered, started));
      } else {
        ctx.close();
      }
    }

    private void send(ChannelHandlerContext ctx, DnsReply.Answered answered, long started) {
      recorder.answered(
          DnsQueryRecorder.Channel.TCP, answered.rcode(), System.nanoTime() - started);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(answered.wire()));
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
