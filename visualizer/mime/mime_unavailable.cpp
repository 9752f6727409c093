// mime_unavailable.cpp — analyze_message() when postino-viz is built without
// sim/mail (POSTINO_VIZ_MAIL=OFF): the message panel shows headers and raw text.
#include "mime/mime_info.hpp"

namespace postino::viz {

MimeInfo analyze_message(std::string_view) {
    MimeInfo info;
    info.available = false;
    info.error = "MIME structure not available: postino-viz was built without sim/mail (POSTINO_VIZ_MAIL=OFF)";
    return info;
}

}  // namespace postino::viz
