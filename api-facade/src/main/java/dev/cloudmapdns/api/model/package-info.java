/**
 * The Cloud Map API's request contract (operations, input shapes and their wire constraints,
 * declared once in {@code RequestShapes}) and the validator that walks it for every request.
 */
package dev.cloudmapdns.api.model;
