package dev.cloudmapdns.server.registry;

import dev.cloudmapdns.server.registry.RegistryCommand.CreateNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.CreateService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteService;
import dev.cloudmapdns.server.registry.RegistryCommand.DeleteServiceAttributes;
import dev.cloudmapdns.server.registry.RegistryCommand.DeregisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.RegisterInstance;
import dev.cloudmapdns.server.registry.RegistryCommand.TagResource;
import dev.cloudmapdns.server.registry.RegistryCommand.UntagResource;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateCustomHealth;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateHealth;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateNamespace;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateReadiness;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateService;
import dev.cloudmapdns.server.registry.RegistryCommand.UpdateServiceAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one writer of the registry. Each {@link RegistryCommand} is decided (checked against {@link
 * RegistryRules} and the current state) into state deltas ({@link StateDelta}s); the deltas are
 * applied to the working state, made durable by the {@link RegistryStore}, then published as a new
 * immutable {@link RegistryState} and handed to every listener before the command returns, so the
 * next DNS query already sees it.
 *
 * <p>Commands are decided one at a time, but they do not wait for each other's disk writes:
 * whichever command finds the store idle commits every change set queued so far in one batch (a
 * group commit), so concurrent commands share one sync, and publishes the batch's last state once.
 * Readers never wait: {@link #state()} is the last published state, and it only ever holds durable
 * changes. If the store fails, the commands of that batch and those decided after them are refused
 * ({@link RegistryStoreException}) and the working state goes back to the published one.
 *
 * <p>Many commands at once: {@link #executeEach} decides a list of commands in order, each against
 * the state the ones before it made, and a refused command refuses only itself; {@link #executeAll}
 * is all-or-nothing, any refusal refusing the whole batch. Either way the accepted commands become
 * one change set (one store transaction, one sync) and one published state (one DNS rebuild, one
 * round of listeners), which is what a seed file, a rolling update of many pods or a wave of health
 * transitions need.
 *
 * <p>On a store shared by several servers (etcd), what the others commit reaches this registry
 * through the store's feed and is published like a batch of its own; a command that lost the race
 * to another server's commit is decided again against the fresh state, so it answers as it would
 * have on one server (see {@link GroupCommit}).
 *
 * <p>Cloud Map's asynchronous commands (namespace changes, service updates, registrations) are
 * recorded as {@link Operation}s that have already succeeded when the command returns. Every id
 * parameter accepts the resource's id or its ARN.
 */
public final class Registry implements AutoCloseable {
  private final RegistryIdentity identity;
  private final InitialCheckStatus initialCheckStatus;

  /** Whether replicas share the store: then check health is stored and kept at start-up. */
  private final boolean sharedStore;

  private final CommandDecider decider;
  private final GroupCommit commits;

  public Registry(RegistryIdentity identity, Clock clock) {
    this(identity, clock, InitialCheckStatus.UNKNOWN_UNTIL_CHECKED);
  }

  /**
   * @param initialCheckStatus what an instance of a service with active health checks starts as
   */
  public Registry(RegistryIdentity identity, Clock clock, InitialCheckStatus initialCheckStatus) {
    this(identity, clock, initialCheckStatus, new MemoryRegistryStore());
  }

  /**
   * A registry that starts from what {@code store} holds. Health found by active checks is not
   * stored: those instances start over as new ones would ({@code initialCheckStatus}) until their
   * first checks.
   *
   * @throws RegistryStoreException when the store cannot be read
   */
  public Registry(
      RegistryIdentity identity,
      Clock clock,
      InitialCheckStatus initialCheckStatus,
      RegistryStore store) {
    this.identity = identity;
    this.initialCheckStatus = Objects.requireNonNull(initialCheckStatus, "initialCheckStatus");
    this.sharedStore = store.shared();
    this.decider =
        new CommandDecider(new DecisionContext(identity, clock, initialCheckStatus, sharedStore));
    this.commits = new GroupCommit(store, withDerivedHealth(store.load()), this::withDerivedHealth);
    store.follow(commits); // a shared store hands over what other servers commit from now on
  }

  /** The current state; a consistent snapshot that never changes under the caller. */
  public RegistryState state() {
    return commits.published();
  }

  public RegistryIdentity identity() {
    return identity;
  }

  /** How a shared store's replica is doing (reachable, caught up); empty for one writer. */
  public Optional<StoreStatus> storeStatus() {
    return commits.storeStatus();
  }

  /** Registers a listener and hands it the current state at once. */
  public void addListener(RegistryListener listener) {
    commits.addListener(listener);
  }

  /** Closes the store; later commands are refused. */
  @Override
  public void close() {
    commits.close();
  }

  /**
   * Decides one command and returns its answer once its change is durable and published.
   *
   * @throws RegistryException when the command is refused; nothing of it was applied
   * @throws RegistryStoreException when the store could not keep it
   */
  public <T> T execute(RegistryCommand<T> command) {
    return commits.submit(draft -> draft.accept(decider.decide(draft.state(), command)));
  }

  /**
   * Decides {@code commands} in order, each against the state the accepted ones before it made, and
   * returns one outcome per command, in order, once every accepted change is durable and published.
   * A refused command refuses only itself. The accepted ones are committed as one change set (one
   * store transaction) and published as one state.
   *
   * @throws RegistryStoreException when the store could not keep the batch: then none of it was
   *     applied, whatever the outcomes would have been
   */
  public List<CommandOutcome<?>> executeEach(List<? extends RegistryCommand<?>> commands) {
    return commits.submit(
        draft -> {
          List<CommandOutcome<?>> outcomes = new ArrayList<>(commands.size());
          for (RegistryCommand<?> command : commands) {
            outcomes.add(decideOne(draft, command));
          }
          return outcomes;
        });
  }

  private <T> CommandOutcome<T> decideOne(Draft draft, RegistryCommand<T> command) {
    try {
      return new CommandOutcome.Accepted<>(draft.accept(decider.decide(draft.state(), command)));
    } catch (RegistryException refused) {
      return new CommandOutcome.Refused<>(refused);
    }
  }

  /**
   * All or nothing: {@code body} issues commands through the {@link CommandScope} it is given, each
   * decided at once against the state the ones before it made (so a later command can use an id an
   * earlier one answered); when {@code body} returns, everything is committed as one change set and
   * published as one state, and its answer is returned. When a command is refused, or {@code body}
   * throws for any reason, nothing at all is applied and the exception reaches the caller.
   *
   * <p>{@code body} runs while the registry decides no other command: it must only issue commands
   * and compute, never block or wait. A list of commands is {@code executeAll(scope ->
   * commands.stream().map(scope::execute).toList())}.
   *
   * @throws RegistryException the first refusal; nothing was applied
   * @throws RegistryStoreException when the store could not keep the batch; nothing was applied
   */
  public <R> R executeAll(Function<CommandScope, R> body) {
    return commits.submit(draft -> body.apply(scopeOf(draft)));
  }

  /**
   * A dry run of an all-or-nothing batch: {@code body} issues its commands as for {@link
   * #executeAll}, decided against a private draft of the registry's current state, and nothing
   * reaches the registry, its store or its listeners. A refusal, or any exception from {@code
   * body}, reaches the caller, and the registry is as it was; otherwise the decided batch can be
   * applied whole with {@link #commit(DecidedBatch)} without deciding it again. Unlike {@link
   * #executeAll}, {@code body} runs outside the registry's monitor: other commands go on meanwhile.
   *
   * @throws RegistryException the first refusal; nothing was applied
   */
  public <R> DecidedBatch<R> decideAll(Function<CommandScope, R> body) {
    Draft draft = new Draft(commits.working());
    R answer = body.apply(scopeOf(draft));
    return new DecidedBatch<>(body, draft, answer);
  }

  /**
   * Applies a batch {@link #decideAll} decided, as one change set and one published state, and
   * returns its answer. When the registry changed since the batch was decided (another command came
   * in between), the batch's body is decided again against the current state, all or nothing, as
   * {@link #executeAll} decides it.
   *
   * @throws RegistryException only when deciding again: its first refusal; nothing was applied
   * @throws RegistryStoreException when the store could not keep the batch; nothing was applied
   */
  public <R> R commit(DecidedBatch<R> decided) {
    return commits.submit(
        draft -> {
          if (draft.base() == decided.draft.base()) {
            draft.adopt(decided.draft);
            return decided.answer;
          }
          return decided.body.apply(scopeOf(draft));
        });
  }

  /** An all-or-nothing batch decided by {@link #decideAll}, not applied yet. */
  public static final class DecidedBatch<R> {
    private final Function<CommandScope, R> body;
    private final Draft draft;
    private final R answer;

    private DecidedBatch(Function<CommandScope, R> body, Draft draft, R answer) {
      this.body = body;
      this.draft = draft;
      this.answer = answer;
    }

    /** What {@code body} answered. */
    public R answer() {
      return answer;
    }

    /** The registry's state as it would be with the batch applied. */
    public RegistryState state() {
      return draft.state();
    }
  }

  private CommandScope scopeOf(Draft draft) {
    return new CommandScope() {
      @Override
      public <T> T execute(RegistryCommand<T> command) {
        return draft.accept(decider.decide(draft.state(), command));
      }

      @Override
      public RegistryState state() {
        return draft.state();
      }
    };
  }

  /** Where the commands of an all-or-nothing batch ({@link #executeAll}) are issued. */
  public interface CommandScope {
    /**
     * Decides {@code command} against the batch's state so far and returns its answer; it becomes
     * durable and visible only when the whole batch is committed.
     *
     * @throws RegistryException when it is refused: let it end the batch
     */
    <T> T execute(RegistryCommand<T> command);

    /** The batch's state so far: the registry's working state plus the commands issued. */
    RegistryState state();
  }

  public Namespace createNamespace(NamespaceSpec spec) {
    Operation created = createNamespace(spec, Map.of());
    return state().namespaces().get(created.target(OperationTarget.NAMESPACE));
  }

  /**
   * Creates a namespace with tags. A retry with the CreatorRequestId of an earlier creation of the
   * same namespace answers with that creation's operation; any other reuse of it is a duplicate.
   */
  public Operation createNamespace(NamespaceSpec spec, Map<String, String> tags) {
    return createNamespace(spec, tags, identity.region());
  }

  /**
   * Creates a namespace in {@code region}: its ARN, its services' and its operations' carry it.
   * Names stay unique across regions, because DNS serves one view of all namespaces.
   */
  public Operation createNamespace(NamespaceSpec spec, Map<String, String> tags, String region) {
    return execute(new CreateNamespace(spec, tags, region));
  }

  /** Changes a namespace's description and SOA TTL; a retried UpdaterRequestId is answered once. */
  public Operation updateNamespace(String namespaceId, NamespacePatch change) {
    return execute(new UpdateNamespace(namespaceId, change));
  }

  public Operation deleteNamespace(String namespaceId) {
    return execute(new DeleteNamespace(namespaceId));
  }

  public Service createService(ServiceSpec spec) {
    return createService(spec, Map.of());
  }

  /**
   * Creates a service with tags. A retry with the CreatorRequestId of an existing service of the
   * same name in the same namespace answers with that service.
   */
  public Service createService(ServiceSpec spec, Map<String, String> tags) {
    return execute(new CreateService(spec, tags));
  }

  /**
   * Applies UpdateService. When the active health check changes, every instance starts over from
   * the status a new instance would have.
   */
  public Operation updateService(String serviceId, ServicePatch change) {
    return execute(new UpdateService(serviceId, change));
  }

  public void deleteService(String serviceId) {
    execute(new DeleteService(serviceId));
  }

  /** Adds or replaces service attributes; at most 30 in all. */
  public void updateServiceAttributes(String serviceId, Map<String, String> attributes) {
    execute(new UpdateServiceAttributes(serviceId, attributes));
  }

  /** Removes service attributes; keys that are not there are ignored. */
  public void deleteServiceAttributes(String serviceId, Collection<String> keys) {
    execute(new DeleteServiceAttributes(serviceId, keys));
  }

  /**
   * Registers an instance, or replaces the attributes of an instance with the same id (its health
   * status is kept).
   */
  public RegisteredInstance registerInstance(
      String serviceId,
      String instanceId,
      Map<String, String> attributes,
      String creatorRequestId) {
    Operation operation =
        registerInstance(new Registration(serviceId, instanceId, attributes, creatorRequestId));
    return state()
        .services()
        .get(operation.target(OperationTarget.SERVICE))
        .instances()
        .get(instanceId);
  }

  /**
   * Registers or updates an instance. A retry with the CreatorRequestId of an earlier registration
   * of the same instance with the same attributes answers with that registration's operation; any
   * other reuse of it is a duplicate, as Cloud Map wants a new id for every registration.
   */
  public Operation registerInstance(Registration registration) {
    return execute(new RegisterInstance(registration));
  }

  public Operation deregisterInstance(String serviceId, String instanceId) {
    return execute(new DeregisterInstance(serviceId, instanceId));
  }

  /** Deregisters an instance that {@code by} registered; refused for anyone else's. */
  public Operation deregisterInstance(String serviceId, String instanceId, InstanceOwner by) {
    return execute(new DeregisterInstance(serviceId, instanceId, by));
  }

  /**
   * Sets the health of an instance the Kubernetes watcher registered: its pod's readiness. Stored,
   * so a restart starts from it; refused for instances registered through the API.
   *
   * @return whether the status changed
   */
  public boolean updateReadiness(String serviceId, String instanceId, HealthStatus status) {
    return execute(new UpdateReadiness(serviceId, instanceId, status));
  }

  /**
   * Sets the health status an active check found; a no-op when the instance already has it. Such a
   * status is published but not stored: after a restart the checks find it again.
   *
   * @return whether the status changed
   */
  public boolean updateHealth(String serviceId, String instanceId, HealthStatus status) {
    return execute(new UpdateHealth(serviceId, instanceId, status, null));
  }

  /**
   * UpdateInstanceCustomHealthStatus: only for services with HealthCheckCustomConfig. The status is
   * stored.
   *
   * @return whether the status changed
   */
  public boolean updateCustomHealth(String serviceId, String instanceId, HealthStatus status) {
    return execute(new UpdateCustomHealth(serviceId, instanceId, status));
  }

  /** Adds or replaces tags on the namespace or service with this ARN; at most 50 in all. */
  public void tagResource(String arn, Map<String, String> tags) {
    execute(new TagResource(arn, tags));
  }

  /** Removes tags from the namespace or service with this ARN; absent keys are ignored. */
  public void untagResource(String arn, Collection<String> keys) {
    execute(new UntagResource(arn, keys));
  }

  /** The id of the namespace or service with this ARN. */
  public String requireTaggable(String arn) {
    return TagDecider.requireTaggable(state(), arn);
  }

  /**
   * A loaded state with health as this registry derives it: active checks start over, custom
   * statuses are kept, and instances of services without checks are healthy. Only services with an
   * instance whose stored status differs are rebuilt.
   */
  private RegistryState withDerivedHealth(RegistryState loaded) {
    RegistryState derived = loaded;
    for (ServiceEntry entry : loaded.services().values()) {
      Service service = entry.service();
      ServiceEntry restored = entry;
      for (RegisteredInstance registered : entry.instances().values()) {
        HealthStatus health =
            sharedStore
                ? registered.health() // what the replica owning the check found and stored
                : service.restoredHealth(registered, initialCheckStatus);
        if (health != registered.health()) {
          restored = restored.withHealth(registered.instance().id(), health);
        }
      }
      if (restored != entry) {
        derived = derived.withService(restored);
      }
    }
    return derived;
  }
}
