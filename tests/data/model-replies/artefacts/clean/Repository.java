package com.example.data;

import java.util.List;
import java.util.Optional;

public interface Repository<T, ID> {
    Optional<T> findById(ID id);

    List<T> findAll();

    default void close() {
        // Nothing to release by default.
    }
}

abstract class AbstractRepository<T> implements Repository<T, Long> {
    protected abstract T load(Long id);

    @Override
    public List<T> findAll() {
        throw new UnsupportedOperationException();
    }

    @SafeVarargs
    static <T> List<T> listOf(T... items) {
        return List.of(items);
    }
}
