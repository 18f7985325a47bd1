package workshop.scenarios.deploy.application;

import workshop.scenarios.deploy.domain.Item;

import java.util.Objects;

/** What the cache answers for one id: the item, no such item, or "not ready: ask another instance". */
public sealed interface Lookup {

    /** The item (HTTP 200). */
    record Found(Item item) implements Lookup {
        public Found {
            Objects.requireNonNull(item, "item");
        }
    }

    /** The warm cache has no item of that id (HTTP 404): an answer, as sure as a found item. */
    record Unknown(String id) implements Lookup {
        public Unknown {
            Objects.requireNonNull(id, "id");
        }
    }

    /** The cache is not warm (yet): no answer at all, neither found nor unknown (HTTP 503). */
    record NotReady() implements Lookup {
    }

    /** The one {@link NotReady}. */
    NotReady NOT_READY = new NotReady();
}
