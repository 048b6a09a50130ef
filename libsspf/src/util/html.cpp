#include "util/html.h"

#include <algorithm>
#include <cstdio>

#include "util/text.h"

namespace sspf::internal::html {

namespace {

// Screen and print in one sheet.  System fonts only (no web fonts); colours
// also carry meaning in words, so a black-and-white print loses nothing.
constexpr const char* kStyle = R"css(
:root { --ink:#1b1f24; --muted:#57606a; --line:#d0d7de; --deny:#b42318; --fail:#9a6700;
        --ok:#1a7f37; --bg:#ffffff; --band:#f6f8fa; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
       background: var(--bg); margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       line-height: 1.45; }
header.report { border-bottom: 2px solid var(--ink); margin-bottom: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem 0; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem 0; border-bottom: 1px solid var(--line); }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; margin: .6rem 0 1rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
p.note { color: var(--muted); font-size: .92rem; }
ol.accesses { list-style: none; padding: 0; margin: 0; }
ol.accesses li { padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
ol.accesses li:nth-child(even) { background: var(--band); }
ol.accesses li.denied { border-left: 4px solid var(--deny); }
ol.accesses li.failed { border-left: 4px solid var(--fail); }
ol.accesses li.allowed { border-left: 4px solid var(--ok); }
span.when { font-variant-numeric: tabular-nums; white-space: nowrap; }
span.outcome { font-weight: 600; }
li.denied span.outcome { color: var(--deny); }
li.failed span.outcome { color: var(--fail); }
span.basis { color: var(--muted); }
li.denied span.refusal { color: var(--deny); }
li.failed span.refusal { color: var(--fail); }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top;
         overflow-wrap: break-word; }
th { white-space: nowrap; }
td.long { overflow-wrap: anywhere; }
td:nth-child(2) { white-space: nowrap; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: .6rem 0 1.2rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: .9rem; }
a { color: #0550ae; }
footer.report { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  ol.accesses li, tr, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  ol.accesses li:nth-child(even), th { background: none; }
  @page { margin: 16mm 14mm; }
}
)css";

// Fixed palette for chart series (colour-blind safe, Okabe-Ito).
constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#E69F00", "#009E73",
                                    "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) break;
        out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string Element(std::string_view tag, std::string_view text, std::string_view cls) {
  std::string out = "<" + std::string(tag);
  if (!cls.empty()) out += " class=\"" + Escape(cls) + "\"";
  out += ">" + Escape(text) + "</" + std::string(tag) + ">";
  return out;
}

std::string Page(std::string_view lang, std::string_view title, std::string_view body_html) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"" + Escape(lang) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  // Nothing may be fetched: no scripts, images, fonts, frames or forms.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + Escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out.append(body_html);
  out += "\n</body>\n</html>\n";
  return out;
}

std::string StackedBars(std::string_view id, std::string_view title,
                        const std::vector<std::string>& series,
                        const std::vector<BarGroup>& groups, std::string_view empty_text) {
  uint64_t max_total = 0;
  for (const BarGroup& g : groups) {
    uint64_t total = 0;
    for (uint64_t v : g.values) total += v;
    max_total = std::max(max_total, total);
  }
  const double left = 44, top = 12, plot_h = 160, label_h = 84;
  const double bar_w = groups.size() > 40 ? 10 : groups.size() > 15 ? 16 : 28;
  const double gap = bar_w / 2;
  const double plot_w = std::max(240.0, static_cast<double>(groups.size()) * (bar_w + gap) + gap);
  // The legend: as many 150-wide items per row as the plot is wide (a
  // narrow chart would otherwise clip the later series' names).
  const size_t per_row = std::max<size_t>(1, static_cast<size_t>(plot_w / 150));
  const double legend_h =
      20.0 * static_cast<double>((series.size() + per_row - 1) / per_row);
  const double width = left + plot_w + 12, height = top + plot_h + label_h + legend_h;
  std::string out = "<svg id=\"" + Escape(id) +
                    "\" class=\"chart\" role=\"img\" viewBox=\"0 0 " + Num(width) + " " +
                    Num(height) + "\" width=\"" + Num(width) + "\" height=\"" + Num(height) +
                    "\" font-family=\"system-ui, DejaVu Sans, Arial, sans-serif\" "
                    "font-size=\"11\">";
  out += "<title>" + Escape(title) + "</title>";
  // Axis and grid: 0, half, max.
  const std::string base_y = Num(top + plot_h);
  out += "<line x1=\"" + Num(left) + "\" y1=\"" + base_y + "\" x2=\"" + Num(left + plot_w) +
         "\" y2=\"" + base_y + "\" stroke=\"#57606a\"/>";
  if (max_total == 0) {
    out += "<text x=\"" + Num(left + 8) + "\" y=\"" + Num(top + plot_h / 2) + "\">" +
           Escape(empty_text) + "</text></svg>";
    return out;
  }
  for (uint64_t tick : {uint64_t{0}, (max_total + 1) / 2, max_total}) {
    const double y = top + plot_h - plot_h * static_cast<double>(tick) /
                                         static_cast<double>(max_total);
    out += "<line x1=\"" + Num(left) + "\" y1=\"" + Num(y) + "\" x2=\"" + Num(left + plot_w) +
           "\" y2=\"" + Num(y) + "\" stroke=\"#d0d7de\"/>";
    out += "<text x=\"" + Num(left - 6) + "\" y=\"" + Num(y + 4) +
           "\" text-anchor=\"end\">" + std::to_string(tick) + "</text>";
  }
  double x = left + gap;
  for (const BarGroup& g : groups) {
    double y = top + plot_h;
    for (size_t s = 0; s < g.values.size() && s < series.size(); ++s) {
      if (g.values[s] == 0) continue;
      const double h = plot_h * static_cast<double>(g.values[s]) /
                       static_cast<double>(max_total);
      y -= h;
      out += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(bar_w) +
             "\" height=\"" + Num(h) + "\" fill=\"" + kPalette[s % 8] + "\"><title>" +
             Escape(g.label) + ": " + Escape(series[s]) + " " + std::to_string(g.values[s]) +
             "</title></rect>";
    }
    const std::string lx = Num(x + bar_w / 2), ly = Num(top + plot_h + 10);
    out += "<text x=\"" + lx + "\" y=\"" + ly + "\" text-anchor=\"end\" transform=\"rotate(-45 " +
           lx + " " + ly + ")\">" + Escape(g.label) + "</text>";
    x += bar_w + gap;
  }
  for (size_t s = 0; s < series.size(); ++s) {
    const double lx = left + static_cast<double>(s % per_row) * 150;
    const double ly = top + plot_h + label_h + 20.0 * static_cast<double>(s / per_row);
    out += "<rect x=\"" + Num(lx) + "\" y=\"" + Num(ly) + "\" width=\"10\" height=\"10\" fill=\"" +
           kPalette[s % 8] + "\"/><text x=\"" + Num(lx + 14) + "\" y=\"" + Num(ly + 9) + "\">" +
           Escape(series[s]) + "</text>";
  }
  out += "</svg>";
  return out;
}

}  // namespace sspf::internal::html
