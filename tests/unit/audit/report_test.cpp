// Copyright (c) libsspf authors.
// The report renderers (sspf/report.h, util/html.h): Stockholm time with
// its zone against the tz database where it is installed, HTML escaping of
// every value, a page that refers to nothing outside itself, the SVG chart,
// and an extract rendered from a hand-made record (refused and failed
// lines never read as allowed).
#include <time.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include "catch.h"
#include "sspf/civil_time.h"
#include "sspf/json.h"
#include "sspf/report.h"
#include "util/html.h"

namespace sspf {
namespace {

namespace html = internal::html;

TEST_CASE("Stockholm time shows the zone and follows EU summer time", "[audit][report]") {
  std::string zone;
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  const UnixSeconds spring = 1774746000, autumn = 1792890000;
  CHECK(StockholmTime(spring - 1, &zone) == "2026-03-29 01:59");
  CHECK(zone == "CET");
  CHECK(StockholmTime(spring, &zone) == "2026-03-29 03:00");
  CHECK(zone == "CEST");
  CHECK(StockholmTime(autumn - 1, &zone) == "2026-10-25 02:59");
  CHECK(zone == "CEST");
  CHECK(StockholmTime(autumn, &zone) == "2026-10-25 02:00");
  CHECK(zone == "CET");
  // The issue's example: 30 November 2026 13:02 UTC is 14:02 CET.
  CHECK(StockholmTime(ParseRfc3339("2026-11-30T13:02:00Z").value(), &zone) == "2026-11-30 14:02");
  CHECK(zone == "CET");
  CHECK(StockholmTime(ParseRfc3339("2026-12-31T23:30:00Z").value()) == "2027-01-01 00:30");
}

TEST_CASE("Stockholm time agrees with the tz database", "[audit][report]") {
  // Debian installs tzdata; the library does not use it, this test does.
  if (!std::ifstream("/usr/share/zoneinfo/Europe/Stockholm")) {
    WARN("no /usr/share/zoneinfo/Europe/Stockholm: cross-check skipped");
    return;
  }
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "Europe/Stockholm", 1);
  tzset();
  int checked = 0;
  // Every 97 minutes from 1997 to 2037, and each side of every change.
  for (UnixSeconds t = 852076800; t < 2145916800; t += 97 * 60) {
    for (UnixSeconds u : {t, t - (t % 3600), t - (t % 3600) - 1}) {
      time_t tt = static_cast<time_t>(u);
      struct tm tm {};
      REQUIRE(localtime_r(&tt, &tm) != nullptr);
      char buf[32];
      strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
      std::string zone;
      const std::string ours = StockholmTime(u, &zone);
      if (ours != buf || zone != (tm.tm_isdst > 0 ? "CEST" : "CET")) {
        FAIL("at " << u << ": " << ours << " " << zone << " vs tz " << buf << " dst "
                   << tm.tm_isdst);
      }
      ++checked;
    }
  }
  if (old) setenv("TZ", saved.c_str(), 1); else unsetenv("TZ");
  tzset();
  CHECK(checked > 600000);
}

TEST_CASE("HTML escaping covers every special character and bad UTF-8", "[audit][report]") {
  CHECK(html::Escape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  CHECK(html::Escape("Åsa Öberg") == "Åsa Öberg");
  CHECK(html::Escape(std::string("a\xff" "b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(html::Escape(std::string("a\0b\x1b[31m\tc\n", 11)) == "ab[31m\tc\n");
  CHECK(html::Element("p", "<b>", "x\"y") == "<p class=\"x&quot;y\">&lt;b&gt;</p>");
}

TEST_CASE("a page fetches nothing and has print rules", "[audit][report]") {
  const std::string page = html::Page("sv", "T<i>", "<p>body</p>");
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"sv\">", 0) == 0);
  CHECK(page.find("<title>T&lt;i&gt;</title>") != std::string::npos);
  CHECK(page.find("default-src 'none'") != std::string::npos);
  CHECK(page.find("@media print") != std::string::npos);
  CHECK(page.find("<p>body</p>") != std::string::npos);
  CHECK(!std::regex_search(page, std::regex("https?://|url\\(|@import|<script|<link")));
}

TEST_CASE("a stacked bar chart is inline SVG with escaped labels", "[audit][report]") {
  const std::string svg = html::StackedBars("c1", "T", {"a<", "b"},
                                            {{"x&y", {2, 3}}, {"z", {0, 1}}}, "none");
  CHECK(svg.rfind("<svg id=\"c1\"", 0) == 0);
  CHECK(svg.find("<title>T</title>") != std::string::npos);
  CHECK(svg.find("x&amp;y") != std::string::npos);
  CHECK(svg.find("a&lt;") != std::string::npos);
  CHECK(svg.find("x&y") == std::string::npos);
  // Three non-empty segments and two legend swatches.
  size_t rects = 0;
  for (size_t p = svg.find("<rect"); p != std::string::npos; p = svg.find("<rect", p + 1)) ++rects;
  CHECK(rects == 5);
  const std::string empty = html::StackedBars("c2", "T", {"a"}, {}, "inga <data>");
  CHECK(empty.find("inga &lt;data&gt;") != std::string::npos);
  // Five series on a narrow chart: every legend item (150 wide) inside the
  // drawing, none clipped.
  const std::string five = html::StackedBars("c3", "T", {"s1", "s2", "s3", "s4", "s5"},
                                             {{"d", {1, 1, 1, 1, 1}}}, "none");
  std::smatch m;
  REQUIRE(std::regex_search(five, m, std::regex("viewBox=\"0 0 ([0-9.]+) ")));
  const double width = std::stod(m[1]);
  const std::regex swatch("<rect x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"10\" height=\"10\"");
  size_t swatches = 0;
  for (auto it = std::sregex_iterator(five.begin(), five.end(), swatch);
       it != std::sregex_iterator(); ++it) {
    ++swatches;
    CHECK(std::stod((*it)[1]) + 150 <= width);
  }
  CHECK(swatches == 5);
}

LogExtract Sample() {
  LogExtract x;
  x.subject_id = "3f2a";
  x.youth_name = "Alva <script>x</script> & Co";
  x.language = ReportLanguage::kSwedish;
  x.issued = 1796043720;
  x.period_from = 1795000000;
  x.period_until = x.issued;
  ExtractLine l;
  l.seq = 7;
  l.time = 1796043720;
  l.local_time = StockholmTime(l.time, &l.zone);
  l.principal_id = "p1";
  l.principal_name = "polis1";
  l.actor = Actor::kPolice;
  l.organisation = "Polisen";
  l.action = Action::kEntryRead;
  l.basis_kind = "consent";
  l.consent_parties = {"guardian:1", "guardian:2", "youth"};
  l.what_text = "Polisen (användare polis1) läste en anteckning från skolan";
  l.basis_label = "grund";
  l.basis_text = "samtycke (vårdnadshavare 1, 2 och den unge)";
  l.text = l.local_time + " " + l.zone + " " + l.what_text + " — grund: " + l.basis_text;
  x.lines.push_back(l);
  ExtractLine f = l;
  f.seq = 8;
  f.outcome = ExtractOutcome::kFailed;
  f.basis_kind.clear();
  f.consent_parties.clear();
  f.refusal = "already_exists";
  f.what_text = "Samordningen (användare kim) försökte registrera den unge";
  f.basis_label = "genomfördes inte";
  f.basis_text = "fanns redan registrerad";
  x.lines.push_back(f);
  return x;
}

TEST_CASE("the extract renders as text, HTML and JSON", "[audit][report]") {
  const LogExtract x = Sample();
  const std::string text = LogExtractText(x);
  CHECK(text.rfind("Loggutdrag\n\nDen unge: Alva <script>x</script> & Co\n", 0) == 0);
  CHECK(text.find("Antal åtkomster: 2 (varav nekade eller inte genomförda: 1)") !=
        std::string::npos);
  const std::string page = LogExtractHtml(x);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("Alva &lt;script&gt;x&lt;/script&gt; &amp; Co") != std::string::npos);
  CHECK(page.find("<li class=\"access allowed\" id=\"e7\"") != std::string::npos);
  CHECK(page.find("<li class=\"access failed\" id=\"e8\"") != std::string::npos);
  CHECK(page.find("<span class=\"basis\">samtycke (vårdnadshavare 1, 2 och den unge)</span>") !=
        std::string::npos);
  CHECK(page.find("<span class=\"refusal\">fanns redan registrerad</span>") != std::string::npos);
  CHECK(page.find("<svg id=\"chart-organisations\"") != std::string::npos);
  const std::string json = LogExtractJson(x);
  CHECK(json.rfind("{\"schema_version\":1,\"kind\":\"log_extract\",\"subject_id\":\"3f2a\"", 0) ==
        0);
  CHECK(json.find("\"outcome\":\"failed\",\"basis\":null") != std::string::npos);
  CHECK(json.find("\"consent_parties\":[\"guardian:1\",\"guardian:2\",\"youth\"]") !=
        std::string::npos);
}

TEST_CASE("the review report links flags to events and draws three charts", "[audit][report]") {
  ReviewReportInput in;
  ReviewReport& r = in.review;
  r.store_id = "s<1>";
  r.generated = 1796043720;
  r.tree_size = 3;
  r.events_in_scope = 2;
  in.verified.tree_size = 3;
  in.verified.root = std::vector<uint8_t>(32, 1);
  ReviewFlag f;
  f.kind = "legal-provision";
  f.seq = 1;
  f.time = 1796043000;
  f.principal_id = "p1";
  f.principal_name = "polis1";
  f.actor = Actor::kPolice;
  f.action = Action::kEntryRead;
  f.allowed = true;
  f.target = "entry:e1";
  f.detail = "access under <provision>";
  ReviewFlag g = f;
  g.kind = "emergency-grant";
  g.seq = 2;
  g.ack = ReviewAck{};
  g.ack->auditor_name = "eva";
  r.flags = {f, g};
  r.flags_open = 1;
  r.flags_acknowledged = 1;
  r.summary.per_actor = {{"2026-12-01", 0, "police", "police", 2, 1, 1, 1}};
  r.summary.per_principal = {{"2026-12-01", 0, "p1", "polis1", 2, 1, 1, 1}};
  const std::string page = ReviewReportHtml(in);
  CHECK(page.find("s&lt;1&gt;") != std::string::npos);
  CHECK(page.find("<section class=\"flag-group\" id=\"flags-legal-provision\">") !=
        std::string::npos);
  CHECK(page.find("<a href=\"#ev-1\">1</a>") != std::string::npos);
  CHECK(page.find("<tr class=\"event\" id=\"ev-1\">") != std::string::npos);
  CHECK(page.find("<tr class=\"event\" id=\"ev-2\">") != std::string::npos);
  CHECK(page.find("data-status=\"acknowledged\"") != std::string::npos);
  CHECK(page.find("data-status=\"open\"") != std::string::npos);
  CHECK(page.find("access under &lt;provision&gt;") != std::string::npos);
  for (const char* id : {"chart-accesses", "chart-denied", "chart-emergency"}) {
    CHECK(page.find(std::string("<svg id=\"") + id + "\"") != std::string::npos);
  }
  CHECK(page.find("none given: the log was checked only against its own") != std::string::npos);
  CHECK(page.find("<td>polis1</td>") != std::string::npos);
  CHECK(!std::regex_search(page, std::regex("https?://|<script")));
}

}  // namespace
}  // namespace sspf
