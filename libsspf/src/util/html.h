// What the library's HTML reports share (the log extract and the review
// report, audit/report_html.cpp): escaping, one self-contained page with
// inline CSS (screen and print), and inline SVG bar charts.  Nothing here
// refers to anything outside the document: no scripts, fonts, images or
// links to other hosts, so a report renders with no network.
#ifndef SSPF_SRC_UTIL_HTML_H_
#define SSPF_SRC_UTIL_HTML_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sspf::internal::html {

// Text for an HTML text node or a quoted attribute value: & < > " ' are
// written as character references; text that is not valid UTF-8 gets
// U+FFFD in place of the bad bytes; control characters other than tab and
// newline are dropped.
std::string Escape(std::string_view text);

// <tag class="cls">escaped text</tag> (no class attribute when cls is empty).
std::string Element(std::string_view tag, std::string_view text, std::string_view cls = {});

// A whole document: <!DOCTYPE html>, <html lang>, a meta charset, a
// Content-Security-Policy that forbids every fetch (default-src 'none';
// inline styles only), <title>, the shared stylesheet and then body_html
// (already HTML).  lang: "sv" or "en".
std::string Page(std::string_view lang, std::string_view title, std::string_view body_html);

// One bar of a chart: a label under it and a value per series.
struct BarGroup {
  std::string label;
  std::vector<uint64_t> values;  // one per series, in series order
};

// An inline SVG chart of stacked bars, one bar per group, with a legend of
// the series.  id: the svg element's id (ASCII letters, digits, '-').
// title: the accessible <title>.  An empty chart says so (empty_text).
std::string StackedBars(std::string_view id, std::string_view title,
                        const std::vector<std::string>& series,
                        const std::vector<BarGroup>& groups, std::string_view empty_text);

}  // namespace sspf::internal::html

#endif  // SSPF_SRC_UTIL_HTML_H_
