package dev.cloudmapdns.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudmapdns.api.auth.SigV4;
import dev.cloudmapdns.api.backend.BackendException;
import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.model.ServiceModel;
import dev.cloudmapdns.api.model.ShapeValidator;
import dev.cloudmapdns.api.operations.Routes;
import dev.cloudmapdns.api.protocol.ApiException;
import dev.cloudmapdns.api.protocol.Json;
import dev.cloudmapdns.api.throttle.ClientThrottle;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cloud Map API over AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target:
 * Route53AutoNaming_v20170314.<Operation>}. Each request is size-checked, dispatched on its target,
 * parsed, validated against the API model, bound to its typed request and answered through the
 * {@link CloudMapBackend}. Every failure becomes {@code {"__type": code, "Message": text}} with the
 * status the SDKs expect; nothing internal (no stack trace, no class name) ever leaves.
 */
public final class CloudMapApi {
  private static final Logger LOG = LoggerFactory.getLogger(CloudMapApi.class);
  private static final ObjectMapper JSON = Json.mapper();

  private final ApiSettings settings;
  private final ServiceModel model;
  private final ShapeValidator validator;
  private final CloudMapBackend backend;
  private final SigV4 sigV4;
  private final ClientThrottle throttle;

  public CloudMapApi(CloudMapBackend backend, ApiSettings settings) {
    this(backend, settings, Clock.systemUTC());
  }

  /** With the clock that signatures' dates are checked against. */
  public CloudMapApi(CloudMapBackend backend, ApiSettings settings, Clock clock) {
    this.settings = settings;
    this.sigV4 = new SigV4(settings.sigV4Secrets(), clock);
    this.throttle = new ClientThrottle(settings.clientRate());
    this.model = ServiceModel.load();
    this.validator = new ShapeValidator(model);
    this.backend = backend;
    Routes routes = Routes.all(backend);
    for (String operation : model.operationNames()) {
      if (routes.find(operation).isEmpty()) {
        throw new IllegalStateException("no route for operation " + operation);
      }
    }
  }

  /** Answers a request whose sender is unknown: every such request shares one allowance. */
  public ApiResponse handle(ApiRequest request) {
    return handle(request, "unknown");
  }

  /**
   * Answers a request from {@code client} (the address the carrier saw): signed requests are
   * counted against their access key, others against {@code client}.
   */
  public ApiResponse handle(ApiRequest request, String client) {
    try {
      if (!throttle.tryAcquire(
          SigV4.accessKeyId(request).map(key -> "key:" + key).orElse(client))) {
        throw new ApiException("ThrottlingException", "Rate exceeded");
      }
      return respond(200, dispatch(request));
    } catch (ApiException e) {
      return error(e.status(), e.code(), e.getMessage(), JSON.createObjectNode());
    } catch (BackendException e) {
      return error(400, e.failure().awsCode(), e.getMessage(), members(e));
    } catch (RuntimeException e) {
      LOG.error("internal error answering {}", request.header("X-Amz-Target"), e);
      return error(
          500,
          "InternalFailure",
          "The request processing has failed because of an unknown error.",
          JSON.createObjectNode());
    }
  }

  private byte[] dispatch(ApiRequest request) {
    if (!request.method().equals("POST")) {
      throw new ApiException(
          "UnknownOperationException", "Cloud Map operations are POST requests to /");
    }
    if (request.body().length > settings.maxRequestBytes()) {
      throw new ApiException(
          413,
          "RequestEntityTooLargeException",
          "Request body of "
              + request.body().length
              + " bytes exceeds the limit of "
              + settings.maxRequestBytes()
              + " bytes");
    }
    sigV4.verify(request);
    String operation = operationName(request.header("X-Amz-Target"));
    // Resources are regional: the request's credential scope says which region it works in.
    CloudMapBackend regional = SigV4.region(request).map(backend::inRegion).orElse(backend);
    Routes.Route<?> route =
        Routes.all(regional)
            .find(operation)
            .orElseThrow(
                () ->
                    new ApiException(
                        "UnknownOperationException", "Unknown operation " + operation));
    JsonNode body = parse(request.body());
    validator.validate(model.inputShape(operation).orElseThrow(), body);
    Object input;
    try {
      input = JSON.treeToValue(body, route.input());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ApiException.serialization("The request body does not match " + operation + "'s input");
    }
    try {
      return JSON.writeValueAsBytes(route.apply(input));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the response of " + operation, e);
    }
  }

  private String operationName(String target) {
    String prefix = model.targetPrefix() + ".";
    if (target == null || !target.startsWith(prefix)) {
      throw new ApiException(
          "UnknownOperationException",
          "X-Amz-Target must be "
              + prefix
              + "<Operation>, got "
              + Optional.ofNullable(target).orElse("nothing"));
    }
    return target.substring(prefix.length());
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) {
        return JSON.createObjectNode();
      }
      if (!node.isObject()) {
        throw ApiException.serialization("The request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw ApiException.serialization("The request body is not valid JSON");
    }
  }

  private static ApiResponse respond(int status, byte[] body) {
    return new ApiResponse(
        status,
        Map.of("Content-Type", Json.CONTENT_TYPE, "x-amzn-RequestId", UUID.randomUUID().toString()),
        body);
  }

  /**
   * The members the API model gives the refusal's error shape besides {@code Message}: the SDKs
   * expose them on their exceptions (AWS SDK v2: {@code NamespaceAlreadyExistsException
   * .namespaceId()}).
   */
  private static ObjectNode members(BackendException e) {
    ObjectNode members = JSON.createObjectNode();
    if (e.duplicateOperationId() != null) {
      members.put("DuplicateOperationId", e.duplicateOperationId());
    }
    BackendException.ExistingResource existing = e.existing();
    if (existing != null) {
      switch (e.failure()) {
        case NAMESPACE_ALREADY_EXISTS -> members.put("NamespaceId", existing.id());
        case SERVICE_ALREADY_EXISTS -> {
          members.put("ServiceId", existing.id());
          if (existing.arn() != null) {
            members.put("ServiceArn", existing.arn());
          }
        }
        default -> {
          // No other error shape names an existing resource.
        }
      }
      if (existing.creatorRequestId() != null) {
        members.put("CreatorRequestId", existing.creatorRequestId());
      }
    }
    return members;
  }

  private static ApiResponse error(int status, String code, String message, ObjectNode members) {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", code);
    body.put("Message", message);
    body.setAll(members);
    try {
      return respond(status, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
