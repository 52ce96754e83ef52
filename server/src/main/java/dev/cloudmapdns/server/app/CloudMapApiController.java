package dev.cloudmapdns.server.app;

import dev.cloudmapdns.api.ApiRequest;
import dev.cloudmapdns.api.ApiResponse;
import dev.cloudmapdns.api.CloudMapApi;
import dev.cloudmapdns.server.metrics.ApiMeters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries the Cloud Map API on the HTTP server: hands {@code POST /}'s headers and raw body to the
 * facade and sends back what it answers. Any Host header is accepted: the aws CLI sends {@code
 * data-localhost} for discovery calls, Kubernetes clients a service name.
 *
 * <p>Runs on the blocking executor, not the event loop: a write waits until the store has it on
 * disk, and many writes must be able to wait at once to share one commit.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class CloudMapApiController {
  private final CloudMapApi api;
  private final ApiMeters meters;

  CloudMapApiController(CloudMapApi api, ApiMeters meters) {
    this.api = api;
    this.meters = meters;
  }

  @Post(uri = "/", consumes = MediaType.ALL, produces = MediaType.ALL)
  HttpResponse<byte[]> handle(HttpRequest<byte[]> request) {
    byte[] body = request.getBody(byte[].class).orElse(new byte[0]);
    Map<String, String> headers = new HashMap<>();
    request.getHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
    ApiResponse response =
        api.handle(
            new ApiRequest("POST", "/", headers, body),
            request.getRemoteAddress().getAddress().getHostAddress());
    meters.called(request.getHeaders().get("X-Amz-Target"), response);
    MutableHttpResponse<byte[]> http = HttpResponse.status(HttpStatus.valueOf(response.status()));
    response.headers().forEach(http::header);
    return http.body(response.body());
  }
}
