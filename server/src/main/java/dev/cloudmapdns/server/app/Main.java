package dev.cloudmapdns.server.app;

import dev.cloudmapdns.server.corefile.CorefileCommand;
import dev.cloudmapdns.server.kubernetes.KubernetesUnavailableException;
import dev.cloudmapdns.server.registry.RegistryStoreException;
import dev.cloudmapdns.server.seed.SeedException;
import dev.cloudmapdns.server.store.SqliteRegistryStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.Micronaut;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts cloudmap-dns. See {@link CommandLine#USAGE}. */
public final class Main extends Micronaut {
  /** Exit status for a problem the user can fix: bad arguments, seed or configuration. */
  static final int USAGE_ERROR = 2;

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(CorefileCommand.NAME)) {
      System.exit(CorefileCommand.run(args, System.out, System.err));
      return;
    }
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      fail(e.getMessage() + "\nRun with --help for usage.");
      return;
    }
    if (cli.help()) {
      System.out.print(CommandLine.USAGE);
      return;
    }
    if (cli.version()) {
      String version = Main.class.getPackage().getImplementationVersion();
      System.out.println("cloudmap-dns " + (version == null ? "development build" : version));
      return;
    }
    Main app = new Main();
    app.args(cli.passThrough().toArray(String[]::new));
    if (cli.seed() != null && !Files.isReadable(Path.of(cli.seed()))) {
      fail(cli.seed() + ": seed file not found or not readable");
      return;
    }
    app.properties(Map.copyOf(cli.properties()));
    if (!"memory".equals(cli.properties().get(CommandLine.STORE))) {
      Thread preload = new Thread(SqliteRegistryStore::preload, "sqlite-preload");
      preload.setDaemon(true);
      preload.start();
    }
    ApplicationContext context = app.mainClass(Main.class).banner(false).start();
    if (cli.exitWhenStarted()) {
      TrainingRun.serveOnce(context);
      context.close();
      System.exit(0);
    }
  }

  /** Problems the user can fix are printed as one line, without a stack trace. */
  @Override
  protected void handleStartupException(Environment environment, Throwable exception) {
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof SeedException
          || cause instanceof ConfigurationException
          || cause instanceof RegistryStoreException
          || cause instanceof KubernetesUnavailableException) {
        fail(cause.getMessage());
      }
      if (cause instanceof BindException) {
        fail(
            "cannot bind a port: "
                + cause.getMessage()
                + " (another process uses it? see docs/configuration.md to change ports)");
      }
    }
    super.handleStartupException(environment, exception);
  }

  private static void fail(String message) {
    System.err.println("cloudmap-dns: " + message);
    System.exit(USAGE_ERROR);
  }
}
