package dev.cloudmapdns.server.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.io.service.SoftServiceLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The services Micronaut would find in a packaged jar, read from the jar's own index. */
class PackagedServicesTest {
  @TempDir Path directory;

  @Test
  void listsTheImplementationsUnderMetaInfMicronautByServiceType() throws IOException {
    Path jar =
        jar(
            "META-INF/micronaut/",
            "META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/",
            "META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/a.$First$Definition",
            "META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/b.$Second$Definition",
            "META-INF/micronaut/io.micronaut.inject.BeanConfiguration/a.$BeanConfiguration",
            "a/First.class");

    assertEquals(
        Map.of(
            "io.micronaut.inject.BeanDefinitionReference",
            List.of("a.$First$Definition", "b.$Second$Definition"),
            "io.micronaut.inject.BeanConfiguration",
            List.of("a.$BeanConfiguration")),
        PackagedServices.read(jar));
  }

  @Test
  void addsTheClassesNamedInMetaInfServicesWithoutCommentsOrBlankLines() throws IOException {
    Path jar =
        jar(
            "META-INF/micronaut/some.Service/a.Listed",
            "META-INF/services/some.Service=# merged by the shade plugin\na.Listed\n\n b.Other # why\n",
            "META-INF/services/other.Service=c.Only\n");

    assertEquals(
        Map.of("some.Service", List.of("a.Listed", "b.Other"), "other.Service", List.of("c.Only")),
        PackagedServices.read(jar));
  }

  @Test
  void takesNoPartOutsideAPackagedJar() {
    // Tests run from class directories and many jars: Micronaut scans as usual.
    assertTrue(PackagedServices.runningJar().isEmpty());
    SoftServiceLoader.Optimizations optimizations = new PackagedServices().load();
    assertTrue(optimizations.getServiceLoaders().isEmpty());
  }

  /** A jar with these entries; "name=content" gives a file content, a trailing slash a folder. */
  private Path jar(String... entries) throws IOException {
    Path jar = directory.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String entry : entries) {
        int equals = entry.indexOf('=');
        out.putNextEntry(new JarEntry(equals < 0 ? entry : entry.substring(0, equals)));
        if (equals >= 0) {
          OutputStream body = out;
          body.write(entry.substring(equals + 1).getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
      }
    }
    return jar;
  }
}
