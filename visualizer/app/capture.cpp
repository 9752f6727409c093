// capture.cpp — PNG (stb_image_write) and the probe report (JSON).
#include "app/capture.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stb_image_write.h>

namespace postino::viz {

bool write_png(const std::string& path, int w, int h, const std::vector<unsigned char>& rgba, std::string* problem) {
    if (stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4) == 0) {
        if (problem != nullptr) *problem = path + ": cannot write the PNG (does the directory exist?)";
        return false;
    }
    return true;
}

bool write_report(const std::string& path, const ReportInfo& info, const std::vector<ui::Probe>& probes,
                  std::string* problem) {
    nlohmann::json j;
    j["width"] = info.width;
    j["height"] = info.height;
    j["index"] = info.index;
    j["time"] = info.time;
    j["input"] = info.input;
    j["error"] = info.error;
    auto& arr = j["probes"] = nlohmann::json::array();
    for (const auto& p : probes) {
        char hex[16];
        const unsigned r = (p.color >> IM_COL32_R_SHIFT) & 0xFF, g = (p.color >> IM_COL32_G_SHIFT) & 0xFF,
                       b = (p.color >> IM_COL32_B_SHIFT) & 0xFF, a = (p.color >> IM_COL32_A_SHIFT) & 0xFF;
        std::snprintf(hex, sizeof hex, "#%02x%02x%02x", r, g, b);
        arr.push_back({{"name", p.name}, {"x", p.x}, {"y", p.y}, {"color", hex}, {"alpha", a}});
    }
    std::ofstream out(path, std::ios::trunc);
    if (!out) {
        if (problem != nullptr) *problem = path + ": cannot write the report";
        return false;
    }
    out << j.dump(1) << "\n";
    return static_cast<bool>(out);
}

}  // namespace postino::viz
