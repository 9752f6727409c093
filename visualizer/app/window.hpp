// window.hpp — the GLFW window and OpenGL rendering of the App: the
// interactive loop (with drag-and-drop of files), and offscreen rendering at
// an exact size into a framebuffer object for --screenshot and --bench
// (llvmpipe under Xvfb in CI). The only file besides main.cpp that knows
// about GLFW and OpenGL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "core/result.hpp"

namespace postino::viz {

struct WindowConfig {
    int width = 1600;
    int height = 960;
    bool offscreen = false;  // hidden window, render into a width x height framebuffer
    std::string title = "postino-viz";
};

class Window {
public:
    // Needs a current ImGui context; sets up the GLFW and OpenGL3 backends.
    static Result<std::unique_ptr<Window>> open(const WindowConfig& cfg);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    // Key codes the App needs (F1, O, R) in GLFW's numbering.
    static void key_codes(AppOptions& o);

    [[nodiscard]] bool should_close() const;
    // Polls input (waiting up to `wait` seconds when > 0), runs one App frame
    // and renders it. dt < 0: measured wall time.
    void frame(App& app, float dt = -1, double wait = 0);
    // Waits for rendering to finish (for honest timings).
    void finish();
    // The last frame's pixels, RGBA, top row first (offscreen mode).
    [[nodiscard]] std::vector<unsigned char> pixels() const;
    [[nodiscard]] int width() const { return cfg_.width; }
    [[nodiscard]] int height() const { return cfg_.height; }
    void size(int& w, int& h) const;
    [[nodiscard]] std::string renderer() const;

private:
    Window() = default;
    void rebuild_fonts(App& app);

    WindowConfig cfg_;
    void* win_ = nullptr;  // GLFWwindow
    unsigned fbo_ = 0, color_ = 0;
    bool backends_ = false;
    double last_ = 0;
};

}  // namespace postino::viz
