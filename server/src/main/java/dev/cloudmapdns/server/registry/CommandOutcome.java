package dev.cloudmapdns.server.registry;

import java.util.Objects;

/**
 * What one command of a batch ({@link Registry#executeEach}) came to: accepted with its answer, or
 * refused with the reason. A refusal refuses that command only.
 *
 * @param <T> the command's answer
 */
public sealed interface CommandOutcome<T> {

  /** The answer, or the refusal thrown. */
  T value();

  /** The command was applied (or was a no-op, such as a retry) and its answer is {@code answer}. */
  record Accepted<T>(T answer) implements CommandOutcome<T> {
    @Override
    public T value() {
      return answer;
    }
  }

  /** The command was refused and changed nothing. */
  record Refused<T>(RegistryException failure) implements CommandOutcome<T> {
    public Refused {
      Objects.requireNonNull(failure, "failure");
    }

    @Override
    public T value() {
      throw failure;
    }
  }
}
