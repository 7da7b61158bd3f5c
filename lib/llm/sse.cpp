#include "llm/sse.hpp"

namespace aiops::llm {

bool SseParser::feed(std::string_view bytes)
{
    for (const char c : bytes) {
        // A CR LF pair ends one line, not two.
        if (m_after_cr) {
            m_after_cr = false;
            if (c == '\n') {
                continue;
            }
        }
        if (c == '\r' || c == '\n') {
            m_after_cr = c == '\r';
            if (!end_line()) {
                return false;
            }
            continue;
        }
        m_line += c;
    }
    return true;
}

bool SseParser::end_line()
{
    if (m_line.empty()) {
        return dispatch();
    }
    const std::string line = std::move(m_line);
    m_line.clear();
    if (line.front() == ':') {
        return true;
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = colon == std::string::npos
                                      ? std::string_view(line)
                                      : std::string_view(line).substr(0, colon);
    std::string_view value;
    if (colon != std::string::npos) {
        value = std::string_view(line).substr(colon + 1);
        if (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
    }
    if (name == "data") {
        if (m_has_data) {
            m_event.data += '\n';
        }
        m_event.data.append(value);
        m_has_data = true;
    } else if (name == "event") {
        m_event.event = std::string(value);
    } else if (name == "id") {
        m_event.id = std::string(value);
    }
    return true;
}

bool SseParser::dispatch()
{
    if (!m_has_data) {
        m_event = SseEvent();
        return true;
    }
    const SseEvent event = std::move(m_event);
    m_event = SseEvent();
    m_has_data = false;
    return m_handler(event);
}

} // namespace aiops::llm
