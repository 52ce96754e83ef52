/**
 * Cloud Map's resource shapes as records, named and nested as in the API model; the JSON member
 * names come from the component names (upper camel case). They are also the values the backend port
 * hands back, so a resource is translated once, in the server's adapter.
 */
package dev.cloudmapdns.api.shapes;
