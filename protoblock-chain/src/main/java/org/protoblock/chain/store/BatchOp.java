package org.protoblock.chain.store;

import java.util.Objects;

/** One encoded write of a batch. Staged into an {@link OpSink} by the backend that commits it. */
interface BatchOp {

    void stageInto(OpSink sink);

    record Put(Column column, byte[] key, byte[] value) implements BatchOp {
        public Put {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public void stageInto(OpSink sink) {
            sink.put(column, key, value);
        }
    }

    record Delete(Column column, byte[] key) implements BatchOp {
        public Delete {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public void stageInto(OpSink sink) {
            sink.delete(column, key);
        }
    }
}
