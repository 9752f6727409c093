// settings.cpp — names for the settings' enums.
#include "model/settings.hpp"

namespace postino::viz {

const char* theme_name(Theme t) {
    switch (t) {
        case Theme::dark: return "dark";
        case Theme::light: return "light";
        case Theme::projector: return "projector";
    }
    return "dark";
}

bool theme_from(const std::string& s, Theme& out) {
    for (Theme t : {Theme::dark, Theme::light, Theme::projector}) {
        if (s == theme_name(t)) {
            out = t;
            return true;
        }
    }
    return false;
}

}  // namespace postino::viz
