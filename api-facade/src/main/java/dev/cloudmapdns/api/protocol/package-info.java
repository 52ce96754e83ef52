/**
 * AWS JSON 1.1 as Cloud Map speaks it: the JSON mapping of shapes and the error values that become
 * {@code {"__type": code, "Message": text}} responses.
 */
package dev.cloudmapdns.api.protocol;
