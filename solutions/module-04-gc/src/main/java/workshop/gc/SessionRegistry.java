package workshop.gc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exercise 04.2: A registry that lets go
 *
 * <p>A server keeps its users' sessions in a registry, and its heap grows until it dies: the registry keeps every
 * session it ever saw. Make an ended session, and a user with no session left, unreachable from the registry.
 *
 * <pre>{@code
 * var sessions = map[string]*Session{}   // a package-level map: the GC never frees what it still points to
 * func (s *Session) Close() { s.open = false }              // leaks: the map still holds s
 * func (s *Session) Close() { delete(sessions, s.token) }   // lets go
 * }</pre>
 *
 * <p>Safe for use by several threads at once. Memory consistency effects: actions in a thread before {@link #open}
 * returns a session happen-before another thread's {@link #find} or {@link #sessionsOf} that returns it.
 */
public final class SessionRegistry {

    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();

    /** One user's session: a token, the user, and attributes the application keeps for it. */
    public final class Session implements AutoCloseable {

        private final String token = UUID.randomUUID().toString();
        private final String user;
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        private volatile boolean open = true;

        private Session(String user) {
            this.user = user;
        }

        public String token() {
            return token;
        }

        public String user() {
            return user;
        }

        /** What the application keeps for this session: a modifiable map, safe for use by several threads. */
        public Map<String, Object> attributes() {
            return attributes;
        }

        public boolean isOpen() {
            return open;
        }

        /**
         * Ends this session (the user logged out): it is no longer found, listed or counted, and the registry no
         * longer references it. Closing an ended session does nothing.
         */
        @Override
        public void close() {
            end();
        }

        /** Ends this session and unregisters it; returns whether this call ended it (false if it had ended). */
        private boolean end() {
            if (!byToken.remove(token, this)) { // removal by the same key it was put with, once: the first end wins
                return false;
            }
            open = false;
            // atomic per user with open(): a user's set is removed when empty, never while a session is being added
            byUser.computeIfPresent(user, (u, sessions) -> {
                sessions.remove(this);
                return sessions.isEmpty() ? null : sessions;
            });
            return true;
        }
    }

    /** Opens and registers a new session of {@code user}. */
    public Session open(String user) {
        Session session = new Session(user);
        byToken.put(session.token(), session);
        byUser.compute(user, (u, sessions) -> {
            Set<Session> of = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            of.add(session);
            return of;
        });
        return session;
    }

    /** The open session with this token, if there is one. */
    public Optional<Session> find(String token) {
        return Optional.ofNullable(byToken.get(token)).filter(Session::isOpen);
    }

    /** The open sessions of {@code user}, in no particular order. */
    public List<Session> sessionsOf(String user) {
        return byUser.getOrDefault(user, Set.of()).stream().filter(Session::isOpen).toList();
    }

    /**
     * Ends every open session of {@code user} (an administrator logs the user out everywhere), as
     * {@link Session#close()} does, and returns how many it ended.
     */
    public int endAllOf(String user) {
        int ended = 0;
        for (Session session : sessionsOf(user)) {
            if (session.end()) { // the same path as close(): a second way to end that forgets to unregister leaks
                ended++;
            }
        }
        return ended;
    }
}
