// headless.hpp — a bare ImGui context for UI tests (no window, no GL):
// display size, a built font atlas, a key map, and helpers to run frames of
// the App and to click its named buttons or type characters.
#pragma once

#include <catch2/catch.hpp>

#include <array>
#include <sstream>
#include <string>

#include <imgui.h>

#include "app/app.hpp"
#include "views/fonts.hpp"

namespace vizui {

// Arbitrary key indices for ImGui's named keys (a window backend would use its own codes).
enum Key : int { kTab = 1, kLeft, kRight, kUp, kDown, kPageUp, kPageDown, kHome, kEnd, kInsert, kDelete, kBackspace,
                 kSpace, kEnter, kEscape, kKeyPadEnter, kA, kC, kV, kX, kY, kZ, kF1 = 100, kO, kR };

class Headless {
public:
    explicit Headless(float w = 1600, float h = 900) {
        IMGUI_CHECKVERSION();
        ctx_ = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(w, h);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        const std::array<std::pair<ImGuiKey_, int>, 22> keys{{
            {ImGuiKey_Tab, kTab}, {ImGuiKey_LeftArrow, kLeft}, {ImGuiKey_RightArrow, kRight}, {ImGuiKey_UpArrow, kUp},
            {ImGuiKey_DownArrow, kDown}, {ImGuiKey_PageUp, kPageUp}, {ImGuiKey_PageDown, kPageDown}, {ImGuiKey_Home, kHome},
            {ImGuiKey_End, kEnd}, {ImGuiKey_Insert, kInsert}, {ImGuiKey_Delete, kDelete}, {ImGuiKey_Backspace, kBackspace},
            {ImGuiKey_Space, kSpace}, {ImGuiKey_Enter, kEnter}, {ImGuiKey_Escape, kEscape}, {ImGuiKey_KeyPadEnter, kKeyPadEnter},
            {ImGuiKey_A, kA}, {ImGuiKey_C, kC}, {ImGuiKey_V, kV}, {ImGuiKey_X, kX}, {ImGuiKey_Y, kY}, {ImGuiKey_Z, kZ}}};
        for (const auto& [k, v] : keys) io.KeyMap[k] = v;
    }
    ~Headless() { ImGui::DestroyContext(ctx_); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    // Builds the fonts the app asks for (as the window would).
    void fonts(postino::viz::App& app) {
        const auto f = postino::viz::ui::load_fonts(app.settings().font_px);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        ImGui::GetIO().Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
        app.set_fonts(f);
    }

    void frame(postino::viz::App& app, float dt = 1.0f / 60.0f) {
        if (app.fonts_dirty()) fonts(app);
        ImGuiIO& io = ImGui::GetIO();
        io.DeltaTime = dt;
        ImGui::NewFrame();
        app.frame(dt);
        ImGui::Render();
        ImDrawData* d = ImGui::GetDrawData();
        REQUIRE(d != nullptr);
        REQUIRE(d->Valid);
    }

    // Clicks the centre of a named widget (recorded by the app during the last frame).
    void click(postino::viz::App& app, const std::string& name) {
        frame(app);  // widget rectangles as laid out now (a tab bar settles after its first frame)
        auto it = app.ui().hits.find(name);
        if (it == app.ui().hits.end()) FAIL("no widget named " << name);
        const auto r = it->second;
        click_at(app, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2);
    }
    void click_at(postino::viz::App& app, float x, float y) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x, y);
        frame(app);
        io.MouseDown[0] = true;
        frame(app);
        io.MouseDown[0] = false;
        frame(app);
    }
    void key(postino::viz::App& app, int k, bool shift = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyShift = shift;
        io.KeysDown[k] = true;
        frame(app);
        io.KeysDown[k] = false;
        io.KeyShift = false;
        frame(app);
    }
    void type(postino::viz::App& app, char c) {
        ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(c));
        frame(app);
    }

private:
    ImGuiContext* ctx_ = nullptr;
};

inline std::string fixture(const std::string& name) {
    return std::string(POSTINO_SOURCE_DIR) + "/tests/viz/fixtures/" + name;
}

inline postino::viz::AppOptions quiet_options(std::ostream& err) {
    postino::viz::AppOptions o;
    o.err = &err;
    o.key_f1 = kF1;
    o.key_o = kO;
    o.key_r = kR;
    return o;
}

}  // namespace vizui
