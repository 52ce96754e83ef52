package dev.cloudmapdns.server.app;

import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Micronaut's services (its bean definitions above all) read from the index of the packaged jar the
 * server runs from, instead of Micronaut walking {@code META-INF/micronaut/} through a zip file
 * system: that walk builds a tree of all the jar's 29,000 entries, and was a tenth of the start-up.
 * The JDK already holds the jar's central directory for the class path, so listing its entries here
 * costs little. Found as a {@link StaticOptimizations.Loader} service, as Micronaut's own
 * ahead-of-time optimizations are.
 *
 * <p>It lists what Micronaut's scan would find in that one jar: for every service type, the entries
 * under {@code META-INF/micronaut/TYPE/} and the lines of {@code META-INF/services/TYPE}. It takes
 * part only when the class path is exactly that jar ({@code java -jar cloudmap-dns.jar}); with
 * anything else on the class path (tests, another jar beside it) it hands Micronaut nothing and
 * Micronaut scans as usual.
 */
public final class PackagedServices
    implements StaticOptimizations.Loader<SoftServiceLoader.Optimizations> {
  private static final String MICRONAUT = "META-INF/micronaut/";
  private static final String SERVICES = "META-INF/services/";

  @Override
  public SoftServiceLoader.Optimizations load() {
    ClassLoader classLoader = PackagedServices.class.getClassLoader();
    return new SoftServiceLoader.Optimizations(
        runningJar()
            .map(PackagedServices::read)
            .<Map<String, SoftServiceLoader.StaticServiceLoader<?>>>map(
                services -> new JarServices(services, classLoader))
            .orElse(Map.of()));
  }

  /**
   * Answers for every service type, since the jar is the whole class path: a type it does not list
   * has no implementation at all (asking Micronaut's scan about it would walk the jar after all).
   */
  private static final class JarServices
      extends HashMap<String, SoftServiceLoader.StaticServiceLoader<?>> {
    private static final long serialVersionUID = 1L;
    private static final SoftServiceLoader.StaticServiceLoader<?> NONE =
        condition -> Stream.empty();

    JarServices(Map<String, List<String>> services, ClassLoader classLoader) {
      services.forEach((type, names) -> put(type, new Listed<>(names, classLoader)));
    }

    @Override
    public SoftServiceLoader.StaticServiceLoader<?> get(Object type) {
      return getOrDefault(type, NONE);
    }
  }

  /** Every service type in {@code jar}, with its implementations' class names. */
  static Map<String, List<String>> read(Path jar) {
    Map<String, Set<String>> services = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        if (name.startsWith(MICRONAUT)) {
          String rest = name.substring(MICRONAUT.length());
          int slash = rest.indexOf('/');
          if (slash > 0 && rest.indexOf('/', slash + 1) < 0) {
            add(services, rest.substring(0, slash), rest.substring(slash + 1));
          }
        } else if (name.startsWith(SERVICES) && name.indexOf('/', SERVICES.length()) < 0) {
          String type = name.substring(SERVICES.length());
          for (String line : lines(file, entry)) {
            add(services, type, line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the services of " + jar, e);
    }
    Map<String, List<String>> listed = new TreeMap<>();
    services.forEach((type, names) -> listed.put(type, List.copyOf(names)));
    return listed;
  }

  private static void add(Map<String, Set<String>> services, String type, String name) {
    if (!name.isEmpty()) {
      services.computeIfAbsent(type, t -> new LinkedHashSet<>()).add(name);
    }
  }

  /** A service file's class names: one a line, {@code #} starts a comment. */
  private static List<String> lines(JarFile file, JarEntry entry) throws IOException {
    List<String> names = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(file.getInputStream(entry), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        int comment = line.indexOf('#');
        names.add((comment < 0 ? line : line.substring(0, comment)).trim());
      }
    }
    return names;
  }

  /** The jar this class runs from, when it is the whole class path. */
  static Optional<Path> runningJar() {
    CodeSource source = PackagedServices.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Optional.empty();
    }
    try {
      Path jar = Path.of(source.getLocation().toURI());
      String classPath = System.getProperty("java.class.path", "");
      return Files.isRegularFile(jar) && Path.of(classPath).toAbsolutePath().equals(jar)
          ? Optional.of(jar)
          : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * One service type's implementations, each made only when Micronaut asks for the type, in
   * parallel as Micronaut's own scan does, and under its rule: an implementation whose class or
   * dependencies are missing from the jar (an optional integration) is skipped, any other failure
   * of its constructor fails the start.
   */
  private record Listed<S>(List<String> names, ClassLoader classLoader)
      implements SoftServiceLoader.StaticServiceLoader<S> {
    private static final MethodType NO_ARGUMENTS = MethodType.methodType(void.class);

    @Override
    public Stream<SoftServiceLoader.StaticDefinition<S>> findAll(Predicate<String> condition) {
      return names.parallelStream().filter(condition).flatMap(this::definition);
    }

    @SuppressWarnings("unchecked")
    private Stream<SoftServiceLoader.StaticDefinition<S>> definition(String name) {
      S instance;
      try {
        Class<?> type = Class.forName(name, false, classLoader);
        instance = (S) MethodHandles.publicLookup().findConstructor(type, NO_ARGUMENTS).invoke();
      } catch (NoClassDefFoundError
          | ClassNotFoundException
          | NoSuchMethodException
          | IllegalAccessException e) {
        return Stream.empty();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("cannot make " + name, e);
      }
      S made = instance;
      return Stream.of(SoftServiceLoader.StaticDefinition.of(name, () -> made));
    }
  }
}
