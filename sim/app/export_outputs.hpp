// export_outputs.hpp — the --pcap and --mermaid outputs shared by
// `postino run`, `postino replay` and `postino export`: the files are opened
// before any work is done (a bad path fails at once, not after a long run),
// written from the trace's events, and each is summarised in one line.
// The exporters themselves are sim/export/ (docs/exporters.md).
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/trace.hpp"

namespace postino::app {

struct ExportArgs {
    std::string pcap;               // write a libpcap capture here ("" = none)
    std::string mermaid;            // write a Mermaid sequence diagram here ("" = none)
    bool mermaid_segments = false;  // one arrow per TCP segment instead of one per connection
    bool italian = false;           // Mermaid notes in Italian where the trace has the text
    [[nodiscard]] bool any() const { return !pcap.empty() || !mermaid.empty(); }
};

// A Mermaid file whose name ends in ".mmd" (the Mermaid CLI's extension)
// holds the bare diagram; any other (".md") the diagram in a ```mermaid
// fence, which Markdown viewers render.
bool mermaid_fenced_for(const std::string& path);

class ExportOutputs {
public:
    // Creates (or truncates) every requested file. The error names the file.
    static Result<std::unique_ptr<ExportOutputs>> open(const ExportArgs& args);

    // Writes the requested files from `events` and prints one summary line
    // per file (and the pcap exporter's warnings, indented) to `out`.
    Status write(const std::vector<trace::Event>& events, std::ostream& out);

private:
    ExportArgs args_;
    std::ofstream pcap_;
    std::ofstream mermaid_;
};

}  // namespace postino::app
