package org.protoblock.node.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Adjusts the logging set up by {@code logback.xml} (console on stderr) from the command line:
 * the root level, a quieter console, and an extra log file (the devnet keeps the console for its
 * live view).
 */
public final class LogSetup {
    public static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %-24logger{0} %msg%n";

    private LogSetup() {
    }

    public static void rootLevel(String level) {
        root().setLevel(Level.toLevel(level, Level.INFO));
    }

    /** Console shows only events at {@code level} or above. */
    public static void consoleThreshold(String level) {
        for (Iterator<Appender<ILoggingEvent>> it = root().iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof ch.qos.logback.core.ConsoleAppender<ILoggingEvent>) {
                ThresholdFilter filter = new ThresholdFilter();
                filter.setLevel(level);
                filter.start();
                appender.clearAllFilters();
                appender.addFilter(filter);
            }
        }
    }

    public static void addFile(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        root().addAppender(appender);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
