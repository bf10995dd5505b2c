package dev.mtp.ingest.tools;

import dev.mtp.common.event.InvalidEventException;
import dev.mtp.ingest.application.Input;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.application.PublishFailedException;
import dev.mtp.ingest.application.read.NotVisibleYetException;
import dev.mtp.ingest.application.read.ReadUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a tool and turns every expected failure into a tool result, in one place for every
 * transport: bad input names the field and the rule; Kafka or the stores unavailable says nothing
 * was stored and that a retry may work. Never a stack trace.
 */
public final class ToolCalls {
    private static final Logger log = LoggerFactory.getLogger(ToolCalls.class);

    private ToolCalls() {}

    public static ToolResult invoke(Tool tool, Input arguments) {
        try {
            return tool.call(arguments);
        } catch (InvalidInputException e) {
            return ToolResult.badInput(e.field(), e.rule());
        } catch (InvalidEventException e) {
            // The event contract's own check (the edge should have caught it first): name the argument.
            return ToolResult.badInput(arguments.path(e.field().replaceFirst("^payload\\.", "")), e.rule());
        } catch (PublishFailedException e) {
            log.warn("publish failed for tool {}: {}", tool.name(), e.getMessage());
            return ToolResult.unavailable("Not persisted: " + e.getMessage() + ". Nothing was stored; retry later.");
        } catch (NotVisibleYetException e) {
            return ToolResult.unavailable("Not visible yet: " + e.getMessage());
        } catch (ReadUnavailableException e) {
            log.warn("read failed for tool {}: {}", tool.name(), e.getMessage());
            return ToolResult.unavailable("Not read: " + e.getMessage() + "; retry later.");
        }
    }
}
