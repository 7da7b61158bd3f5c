#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace aiops::llm {

/// One server-sent event.
struct SseEvent
{
    std::string event; ///< the event: field, empty when there was none
    std::string data;  ///< data: lines joined with '\n'
    std::string id;
};

/// Splits a text/event-stream body into events as its bytes arrive, per the WHATWG
/// rules: lines end with LF, CRLF or CR; a blank line ends an event; lines starting with
/// ':' are comments; a field name without a colon has an empty value; one space after the
/// colon is dropped. An event with no data lines is not emitted.
class SseParser
{
public:
    /// Called for each event; returns false to stop parsing (feed then returns false too).
    using Handler = std::function<bool(const SseEvent&)>;

    explicit SseParser(Handler handler) : m_handler(std::move(handler)) {}

    /// Parses more bytes; false when the handler asked to stop.
    bool feed(std::string_view bytes);

    /// Whether bytes of an unfinished event are pending (the stream ended mid-event).
    bool has_partial_event() const { return !m_line.empty() || m_has_data; }

private:
    bool end_line();
    bool dispatch();

    Handler m_handler;
    std::string m_line;
    SseEvent m_event;
    bool m_has_data = false;
    bool m_after_cr = false;
};

} // namespace aiops::llm
