// capture.hpp — writing what a frame showed: the PNG, and a JSON report of
// the probes (points the panels drew, with their colours) that the
// screenshot tests compare against the picture.
#pragma once

#include <string>
#include <vector>

#include "views/ui_context.hpp"

namespace postino::viz {

bool write_png(const std::string& path, int w, int h, const std::vector<unsigned char>& rgba, std::string* problem);

struct ReportInfo {
    int width = 0, height = 0;
    std::uint32_t index = 0;   // the cursor
    std::int64_t time = 0;
    std::string input, error;
};
bool write_report(const std::string& path, const ReportInfo& info, const std::vector<ui::Probe>& probes,
                  std::string* problem);

}  // namespace postino::viz
