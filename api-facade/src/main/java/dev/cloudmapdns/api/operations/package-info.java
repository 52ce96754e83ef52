/**
 * The 30 Cloud Map operations, grouped by the resource they concern: each reads its typed request,
 * calls the backend port, and builds the response shape; lists are filtered and paged here.
 */
package dev.cloudmapdns.api.operations;
