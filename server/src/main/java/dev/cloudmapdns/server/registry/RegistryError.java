package dev.cloudmapdns.server.registry;

/**
 * Why a registry command was refused. The API edge maps each to its AWS error code in one table;
 * the seed loader prints the message.
 */
public enum RegistryError {
  INVALID_INPUT,
  NAMESPACE_NOT_FOUND,
  NAMESPACE_ALREADY_EXISTS,
  SERVICE_NOT_FOUND,
  SERVICE_ALREADY_EXISTS,
  INSTANCE_NOT_FOUND,
  RESOURCE_IN_USE,
  OPERATION_NOT_FOUND,
  DUPLICATE_REQUEST,
  CUSTOM_HEALTH_NOT_FOUND,
  RESOURCE_NOT_FOUND,
  TOO_MANY_TAGS,
  RESOURCE_LIMIT_EXCEEDED,
  SERVICE_ATTRIBUTES_LIMIT_EXCEEDED
}
