package dev.cloudmapdns.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cloudmapdns.api.backend.BackendFailure;
import dev.cloudmapdns.server.registry.RegistryError;
import dev.cloudmapdns.server.registry.RegistryException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegistryBackendTest {
  @ParameterizedTest
  @EnumSource(RegistryError.class)
  void everyRegistryErrorHasTheBackendFailureOfTheSameName(RegistryError error) {
    assertEquals(error.name(), RegistryBackend.failure(new RegistryException(error, "m")).name());
  }

  @ParameterizedTest
  @EnumSource(BackendFailure.class)
  void everyBackendFailureCanComeFromTheRegistry(BackendFailure failure) {
    assertEquals(
        1,
        Arrays.stream(RegistryError.values()).filter(e -> e.name().equals(failure.name())).count());
  }
}
