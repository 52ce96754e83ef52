package dev.cloudmapdns.server.corefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CoreDNS block rendered for a set of namespaces. */
class CorefileBlockTest {
  private static CorefileBlock block(String... namespaces) {
    return new CorefileBlock(List.of(namespaces), "cloudmap-dns.kube-system:9953", false);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app.local shop.local | local",
        "App.Local. shop.local | local",
        "a.svc.example.com b.example.com | example.com",
        "app.local b.app.local | app.local",
        "app.local | ''",
        "a.com b.org | ''",
      })
  void findsTheParentDomainEveryNamespaceLiesUnder(String namespaces, String parent) {
    assertEquals(
        parent.isEmpty() ? Optional.empty() : Optional.of(parent),
        new CorefileBlock(Arrays.asList(namespaces.split(" ")), "127.0.0.1:9953", false)
            .parentDomain());
  }

  @Test
  void offersTheParentDomainBlockFirstAndTheNamespacesOfTodayAsAComment() {
    assertEquals(
        """
        # cloudmap-dns: 2 DNS namespaces now
        # Every namespace is under local: this block never needs changing for new ones.
        local {
            grpc . cloudmap-dns.kube-system:9953
            errors
        }

        # Or only the namespaces of today (reload CoreDNS when one is added):
        # app.local shop.local {
        #     grpc . cloudmap-dns.kube-system:9953
        #     errors
        # }
        """,
        block("shop.local", "app.local").render());
  }

  @Test
  void namesEachNamespaceWhenTheyShareNoParent() {
    assertEquals(
        """
        # cloudmap-dns: 2 DNS namespaces now
        # Reload CoreDNS when a namespace is added, or see docs/coredns.md for a
        # parent-domain or root block that never changes.
        a.com b.org {
            grpc . cloudmap-dns.kube-system:9953
            errors
        }
        """,
        block("b.org", "a.com").render());
  }

  @Test
  void carriesCoreDnsTlsOptionsWhenOurGrpcPortWantsTls() {
    assertEquals(
        """
        # cloudmap-dns: 1 DNS namespace now
        # Reload CoreDNS when a namespace is added, or see docs/coredns.md for a
        # parent-domain or root block that never changes.
        app.local {
            grpc . cloudmap-dns.kube-system:9953 {
                # our gRPC port wants TLS: CoreDNS's client certificate, key, and our CA
                tls /etc/coredns/cloudmap/tls.crt /etc/coredns/cloudmap/tls.key /etc/coredns/cloudmap/ca.crt
                tls_servername cloudmap-dns.kube-system
            }
            errors
        }
        """,
        new CorefileBlock(List.of("app.local"), "cloudmap-dns.kube-system:9953", true).render());
  }

  @Test
  void withoutNamespacesSuggestsAParentDomainBlock() {
    assertEquals(
        """
        # cloudmap-dns: 0 DNS namespaces now
        # No DNS namespace yet: create one, or use a parent-domain block such as
        # local { grpc . cloudmap-dns.kube-system:9953 } (docs/coredns.md).
        """,
        block().render());
  }

  @ParameterizedTest
  @CsvSource({"cloudmap-dns", "host:port", "a b:9953", "'x;y:1'"})
  void refusesAnUpstreamThatIsNotHostAndPort(String upstream) {
    assertThrows(
        IllegalArgumentException.class,
        () -> new CorefileBlock(List.of("app.local"), upstream, false));
  }
}
