package dev.cloudmapdns.api.backend;

/**
 * Why the backend refused a command, and the one table from each kind to the AWS error code the
 * SDKs and the CLI know. Every error code the API returns for a backend refusal is here.
 */
public enum BackendFailure {
  INVALID_INPUT("InvalidInput"),
  NAMESPACE_NOT_FOUND("NamespaceNotFound"),
  NAMESPACE_ALREADY_EXISTS("NamespaceAlreadyExists"),
  SERVICE_NOT_FOUND("ServiceNotFound"),
  SERVICE_ALREADY_EXISTS("ServiceAlreadyExists"),
  INSTANCE_NOT_FOUND("InstanceNotFound"),
  OPERATION_NOT_FOUND("OperationNotFound"),
  RESOURCE_IN_USE("ResourceInUse"),
  DUPLICATE_REQUEST("DuplicateRequest"),
  CUSTOM_HEALTH_NOT_FOUND("CustomHealthNotFound"),
  RESOURCE_NOT_FOUND("ResourceNotFoundException"),
  TOO_MANY_TAGS("TooManyTagsException"),
  RESOURCE_LIMIT_EXCEEDED("ResourceLimitExceeded"),
  SERVICE_ATTRIBUTES_LIMIT_EXCEEDED("ServiceAttributesLimitExceededException");

  private final String awsCode;

  BackendFailure(String awsCode) {
    this.awsCode = awsCode;
  }

  /** The {@code __type} of the error response. */
  public String awsCode() {
    return awsCode;
  }
}
