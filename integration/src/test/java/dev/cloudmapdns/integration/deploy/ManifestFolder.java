package dev.cloudmapdns.integration.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests of one kustomize folder, each document read into its Fabric8 model class. A kind we
 * do not expect, or a field of the wrong type, fails the read. (Fabric8 keeps unknown fields as
 * additional properties; the API server's dry run is what refuses those.)
 */
record ManifestFolder(Path directory, List<String> listedFiles, List<HasMetadata> resources) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Map<String, Class<? extends HasMetadata>> MODELS =
      Map.of(
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/Service", Service.class,
          "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
          "apps/v1/Deployment", Deployment.class,
          "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
          "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class);

  static ManifestFolder read(Path directory) throws IOException {
    JsonNode kustomization = YAML.readTree(directory.resolve("kustomization.yaml").toFile());
    List<String> listed = new ArrayList<>();
    kustomization.path("resources").forEach(file -> listed.add(file.asText()));
    List<HasMetadata> resources = new ArrayList<>();
    for (String file : listed) {
      try (MappingIterator<JsonNode> documents =
          YAML.readerFor(JsonNode.class).readValues(directory.resolve(file).toFile())) {
        while (documents.hasNext()) {
          JsonNode document = documents.next();
          String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
          Class<? extends HasMetadata> model = MODELS.get(type);
          if (model == null) {
            throw new IllegalArgumentException(file + ": unexpected resource " + type);
          }
          resources.add(YAML.treeToValue(document, model));
        }
      }
    }
    return new ManifestFolder(directory, List.copyOf(listed), List.copyOf(resources));
  }

  /** The YAML files in the folder other than the kustomization itself. */
  List<String> yamlFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> T only(Class<T> kind) {
    List<T> found = all(kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + kind.getSimpleName() + ", found " + found.size() + " in " + directory);
    }
    return found.get(0);
  }
}
