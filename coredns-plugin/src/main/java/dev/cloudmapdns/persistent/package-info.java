/**
 * Persistent maps: immutable, and a changed copy shares every untouched part with its original (a
 * hash array mapped trie), so a change costs the same in a map of 100,000 entries as in one of ten,
 * and two versions of a map compare in time proportional to what differs between them.
 */
package dev.cloudmapdns.persistent;
