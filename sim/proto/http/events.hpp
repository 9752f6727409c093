// events.hpp — what the HTTP engines report through poll_event() (DESIGN.md
// §2.1), as small value types their hosts turn into trace events
// (trace_line.hpp) or act on (a request to answer, a response to read).
#pragma once

#include <string>
#include <variant>

#include "proto/http/message.hpp"
#include "proto/http/parser.hpp"

namespace postino::http {

// A whole request: received (server engine; the host must answer it with
// respond()) or sent (client engine). `raw` is its octets as on the wire.
struct RequestEvent {
    Request request;
    std::string raw;
};

// A whole response: sent (server engine) or received (client engine).
struct ResponseEvent {
    Response response;
    std::string raw;
    bool interim = false;  // a 1xx (100 Continue) before the final response
};

// Input the engine refused (the server then answers error.status() and closes).
struct ViolationEvent {
    ParseError error;
};

// The connection is over. `by_engine`: close once poll_output() is drained.
struct CloseEvent {
    bool by_engine = true;
    std::string reason;
};

using Event = std::variant<RequestEvent, ResponseEvent, ViolationEvent, CloseEvent>;

}  // namespace postino::http
