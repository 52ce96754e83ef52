/**
 * AWS's API model of Cloud Map, bundled, and the validator that checks every request against it:
 * the wire constraints come from the model file, not from hand-written copies.
 */
package dev.cloudmapdns.api.model;
