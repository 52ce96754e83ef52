package dev.cloudmapdns.server.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The registry's identity and start-up input ({@code cloudmap.*}).
 *
 * @param region the region in ARNs when a request does not say otherwise
 * @param accountId the account id in ARNs
 * @param seed a seed file to load at start-up into an empty registry, or null
 */
@ConfigurationProperties("cloudmap")
public record CloudMapConfiguration(
    @Bindable(defaultValue = "us-east-1") String region,
    @Bindable(defaultValue = "123456789012") String accountId,
    @Nullable String seed) {}
