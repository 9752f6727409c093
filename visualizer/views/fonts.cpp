// fonts.cpp — font discovery and atlas building.
#include "views/fonts.hpp"

#include <filesystem>

namespace postino::viz::ui {
namespace {

const char* find_font(std::initializer_list<const char*> paths) {
    for (const char* p : paths) {
        std::error_code ec;
        if (std::filesystem::exists(p, ec)) return p;
    }
    return nullptr;
}

const ImWchar* glyph_ranges() {
    static ImVector<ImWchar> ranges;
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());  // Basic Latin + Latin-1
        static const ImWchar extra[] = {0x0100, 0x017F,   // Latin Extended-A
                                        0x2010, 0x2027,   // dashes, quotes, bullet, ellipsis
                                        0x2190, 0x21BB,   // arrows, including the retry arrow
                                        0x2713, 0x2717,   // check and cross marks
                                        0x2709, 0x2709,   // envelope
                                        0x25B6, 0x25C0,   // play / back triangles
                                        0};
        b.AddRanges(extra);
        b.BuildRanges(&ranges);
    }
    return ranges.Data;
}

ImFont* add(const char* path, float px) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    if (path != nullptr) {
        if (ImFont* f = io.Fonts->AddFontFromFileTTF(path, px, &cfg, glyph_ranges())) return f;
    }
    ImFontConfig def;
    def.SizePixels = px;
    return io.Fonts->AddFontDefault(&def);
}

}  // namespace

Fonts load_fonts(float px) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const char* sans = find_font({"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                  "/usr/share/fonts/TTF/DejaVuSans.ttf",
                                  "/usr/share/fonts/dejavu/DejaVuSans.ttf"});
    const char* mono = find_font({"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                                  "/usr/share/fonts/TTF/DejaVuSansMono.ttf",
                                  "/usr/share/fonts/dejavu/DejaVuSansMono.ttf"});
    Fonts f;
    f.px = px;
    f.truetype = sans != nullptr;
    f.ui = add(sans, px);
    f.mono = add(mono, px * 0.95f);
    f.big = add(sans, px * 1.5f);
    io.Fonts->Build();
    io.FontDefault = f.ui;
    return f;
}

}  // namespace postino::viz::ui
