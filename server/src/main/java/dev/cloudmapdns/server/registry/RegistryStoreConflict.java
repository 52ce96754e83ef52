package dev.cloudmapdns.server.registry;

/**
 * A shared store refused a batch because another writer committed first (at {@code position}):
 * nothing of the batch was stored. Not a failure but a lost race: the registry waits until the
 * store's feed has handed it that position, then decides the refused commands again against the
 * fresh state. After {@link GroupCommit#MAX_LOST_RACES} in a row the command is refused with it.
 */
public final class RegistryStoreConflict extends RegistryStoreUnavailableException {
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
