package dev.cloudmapdns.api.shapes;

import java.util.Map;

/** {@code ServiceAttributes}: a service's ARN, owner and key/value attributes. */
public record ServiceAttributes(
    String serviceArn, String resourceOwner, Map<String, String> attributes) {}
