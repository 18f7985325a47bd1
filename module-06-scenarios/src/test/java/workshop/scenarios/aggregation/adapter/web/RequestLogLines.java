package workshop.scenarios.aggregation.adapter.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything logged on a test's own logger, captured as it was when the line was logged (06.9's test helper, the
 * way 05.12's tests capture lines).
 */
final class RequestLogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final ch.qos.logback.classic.Logger logger;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    RequestLogLines(String name) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.logger = context.getLogger(name);
        setContext(context);
        setName("06.9 " + name);
        start();
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false); // quiet: nothing reaches the root logger's appenders
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    org.slf4j.Logger logger() {
        return logger;
    }

    LoggerContext context() {
        return (LoggerContext) getContext();
    }

    List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** The value of a key-value pair of the line, as text, or {@code null} if it has none by that key. */
    static String keyValue(ILoggingEvent event, String key) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return null;
        }
        return pairs.stream().filter(p -> p.key.equals(key)).map(p -> Objects.toString(p.value)).findFirst()
                .orElse(null);
    }

    /** A line for a failure message: level, message and key-value pairs. */
    static String describe(ILoggingEvent event) {
        return event.getLevel() + " '" + event.getFormattedMessage() + "' " + event.getKeyValuePairs();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
