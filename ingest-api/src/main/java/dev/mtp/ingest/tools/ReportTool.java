package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.Input;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mtp.ingest.tools.Schemas.object;
import static dev.mtp.ingest.tools.Schemas.props;

/** A tool that takes no arguments and changes nothing: it reports what this instance knows (a catalogue, stats). */
public interface ReportTool extends Tool {

    /** The report; the call has refused any argument before. */
    ToolResult report();

    @Override
    default boolean readOnly() {
        return true;
    }

    @Override
    default Map<String, Object> inputSchema() {
        return object(List.of(), props());
    }

    @Override
    default ToolResult call(Input arguments) {
        arguments.allowOnly(Set.of());
        return report();
    }
}
