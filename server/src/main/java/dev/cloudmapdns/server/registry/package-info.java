/**
 * The registry domain: namespaces, services, instances and their health, as plain immutable values,
 * and the single writer that checks and applies commands and publishes each new state. No
 * transport, storage or framework types live here.
 */
package dev.cloudmapdns.server.registry;
