// window.cpp — GLFW + OpenGL 3.3 window, offscreen framebuffer, drag-and-drop.
#define GL_GLEXT_PROTOTYPES 1
#include "app/window.hpp"

#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "views/draw_util.hpp"
#include "views/fonts.hpp"

namespace postino::viz {
namespace {

std::string g_glfw_error;
std::vector<std::string> g_dropped;

void on_glfw_error(int code, const char* what) { g_glfw_error = "GLFW error " + std::to_string(code) + ": " + what; }

// ui::fill_opaque's hook: the command's clip rectangle cleared to the colour
// in its user data. A scissored clear writes the pixels without running the
// fragment shader or blending (the ImGui backend re-sets the scissor for
// every command after this one).
void clear_rect(const ImDrawList*, const ImDrawCmd* cmd) {
    const ImDrawData* dd = ImGui::GetDrawData();
    if (dd == nullptr) return;
    GLint vp[4] = {0, 0, 0, 0};
    glGetIntegerv(GL_VIEWPORT, vp);
    const ImVec2 sc = dd->FramebufferScale;
    // The pixels whose centres the rectangle's two triangles would cover
    // (window clip rectangles are whole pixels, so this is also the scissor
    // the backend would have used).
    const auto px = [](float v) { return static_cast<GLint>(std::ceil(v - 0.5f)); };
    const GLint x0 = px((cmd->ClipRect.x - dd->DisplayPos.x) * sc.x), y0 = px((cmd->ClipRect.y - dd->DisplayPos.y) * sc.y);
    const GLint x1 = px((cmd->ClipRect.z - dd->DisplayPos.x) * sc.x), y1 = px((cmd->ClipRect.w - dd->DisplayPos.y) * sc.y);
    if (x1 <= x0 || y1 <= y0) return;
    glScissor(x0, vp[3] - y1, x1 - x0, y1 - y0);
    const auto col = static_cast<ImU32>(reinterpret_cast<std::uintptr_t>(cmd->UserCallbackData));
    glClearColor(static_cast<float>((col >> IM_COL32_R_SHIFT) & 0xFF) / 255.0f, static_cast<float>((col >> IM_COL32_G_SHIFT) & 0xFF) / 255.0f,
                 static_cast<float>((col >> IM_COL32_B_SHIFT) & 0xFF) / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void on_drop(GLFWwindow*, int count, const char** paths) {
    for (int i = 0; i < count; ++i) g_dropped.emplace_back(paths[i]);
}

}  // namespace

void Window::key_codes(AppOptions& o) {
    o.key_f1 = GLFW_KEY_F1;
    o.key_o = GLFW_KEY_O;
    o.key_r = GLFW_KEY_R;
}

Result<std::unique_ptr<Window>> Window::open(const WindowConfig& cfg) {
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit()) {
        return Error{"cannot open a window (" + g_glfw_error +
                         "); run it on a desktop, or headless under `xvfb-run -a` for --screenshot",
                     "postino-viz"};
    }
    std::unique_ptr<Window> w(new Window());
    w->cfg_ = cfg;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    glfwWindowHint(GLFW_VISIBLE, cfg.offscreen ? GLFW_FALSE : GLFW_TRUE);
    // ImGui needs colour only: no depth, stencil or multisampling to allocate,
    // clear and resolve (a software renderer pays for every buffer it has).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    glfwWindowHint(GLFW_SAMPLES, 0);
    GLFWwindow* win = glfwCreateWindow(cfg.offscreen ? 64 : cfg.width, cfg.offscreen ? 64 : cfg.height, cfg.title.c_str(),
                                       nullptr, nullptr);
    if (win == nullptr) {
        glfwTerminate();
        return Error{"cannot create an OpenGL 3.3 window (" + g_glfw_error + ")", "postino-viz"};
    }
    w->win_ = win;
    glfwMakeContextCurrent(win);
    glfwSwapInterval(cfg.offscreen ? 0 : 1);
    glfwSetDropCallback(win, on_drop);
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    w->backends_ = true;
    ui::set_opaque_fill_hook(clear_rect);
    if (cfg.offscreen) {
        glGenFramebuffers(1, &w->fbo_);
        glBindFramebuffer(GL_FRAMEBUFFER, w->fbo_);
        glGenRenderbuffers(1, &w->color_);
        glBindRenderbuffer(GL_RENDERBUFFER, w->color_);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, cfg.width, cfg.height);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, w->color_);
        if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
            return Error{"cannot create a " + std::to_string(cfg.width) + "x" + std::to_string(cfg.height) +
                             " offscreen framebuffer",
                         "postino-viz"};
        }
    }
    w->last_ = glfwGetTime();
    return w;
}

Window::~Window() {
    if (fbo_ != 0) {
        glDeleteFramebuffers(1, &fbo_);
        glDeleteRenderbuffers(1, &color_);
    }
    if (backends_) {
        ui::set_opaque_fill_hook(nullptr);
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
    }
    if (win_ != nullptr) glfwDestroyWindow(static_cast<GLFWwindow*>(win_));
    glfwTerminate();
}

bool Window::should_close() const { return glfwWindowShouldClose(static_cast<GLFWwindow*>(win_)) != 0; }

void Window::size(int& w, int& h) const { glfwGetWindowSize(static_cast<GLFWwindow*>(win_), &w, &h); }

std::string Window::renderer() const {
    const auto* r = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    const auto* v = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    return std::string(r ? r : "?") + ", OpenGL " + (v ? v : "?");
}

void Window::rebuild_fonts(App& app) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    app.set_fonts(ui::load_fonts(app.settings().font_px));
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void Window::frame(App& app, float dt, double wait) {
    if (wait > 0) glfwWaitEventsTimeout(wait);
    else glfwPollEvents();
    if (!g_dropped.empty()) {
        app.drop(g_dropped);
        g_dropped.clear();
    }
    if (app.fonts_dirty()) rebuild_fonts(app);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    const double now = glfwGetTime();
    io.DeltaTime = dt >= 0 ? std::max(dt, 1e-4f) : static_cast<float>(std::max(now - last_, 1e-4));
    last_ = now;
    int fw = 0, fh = 0;
    if (cfg_.offscreen) {
        io.DisplaySize = ImVec2(static_cast<float>(cfg_.width), static_cast<float>(cfg_.height));
        io.DisplayFramebufferScale = ImVec2(1, 1);
        fw = cfg_.width;
        fh = cfg_.height;
    } else {
        glfwGetFramebufferSize(static_cast<GLFWwindow*>(win_), &fw, &fh);
    }
    ImGui::NewFrame();
    app.frame(io.DeltaTime);
    ImGui::Render();
    if (cfg_.offscreen) glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glViewport(0, 0, fw, fh);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (!cfg_.offscreen) glfwSwapBuffers(static_cast<GLFWwindow*>(win_));
    if (app.quit_requested()) glfwSetWindowShouldClose(static_cast<GLFWwindow*>(win_), GLFW_TRUE);
}

void Window::finish() { glFinish(); }

std::vector<unsigned char> Window::pixels() const {
    const int w = cfg_.width, h = cfg_.height;
    std::vector<unsigned char> buf(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    if (cfg_.offscreen) glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, buf.data());
    // OpenGL's first row is the bottom one.
    const std::size_t row = static_cast<std::size_t>(w) * 4;
    for (int y = 0; y < h / 2; ++y) {
        std::swap_ranges(buf.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * row),
                         buf.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y + 1) * row),
                         buf.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(h - 1 - y) * row));
    }
    for (std::size_t i = 3; i < buf.size(); i += 4) buf[i] = 255;  // opaque
    return buf;
}

}  // namespace postino::viz
