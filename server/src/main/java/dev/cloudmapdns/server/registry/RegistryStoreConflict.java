package dev.cloudmapdns.server.registry;

/**
 * A shared store refused a batch because another writer committed first (at {@code position}):
 * nothing of the batch was stored. Not a failure but a lost race: the registry waits until the
 * store's feed has handed it that position, then decides the refused commands again against the
 * fresh state.
 */
public final class RegistryStoreConflict extends RegistryStoreException {
  private static final long serialVersionUID = 1L;

  private final long position;

  public RegistryStoreConflict(String message, long position) {
    super(message);
    this.position = position;
  }

  /** The store position of the other writer's commit that this batch lost to. */
  public long position() {
    return position;
  }
}
