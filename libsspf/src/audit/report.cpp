// Renderings of the log extract (sspf/report.h): plain text and one
// self-contained HTML page (util/html.h).
#include <cstdio>
#include <map>
#include <string>

#include "sspf/report.h"
#include "util/civil_time.h"
#include "util/html.h"

namespace sspf {

namespace {

namespace h = internal::html;

struct Labels {
  const char* title;
  const char* intro;
  const char* youth;
  const char* subject_id;
  const char* period;
  const char* issued;
  const char* count;
  const char* not_allowed;
  const char* none;
  const char* times;
  const char* privacy;
  const char* per_org;
  const char* allowed;
  const char* denied;
  const char* failed;
  const char* accesses;
  const char* unnamed;
};

const Labels& LabelsOf(ReportLanguage l) {
  static const Labels sv{
      "Loggutdrag",
      "Det här är en förteckning över alla registrerade åtkomster till uppgifterna om den unge "
      "i SSPF-registret: vem som gjorde vad, när och med vilken grund.",
      "Den unge",
      "Id i registret",
      "Period",
      "Utfärdat",
      "Antal åtkomster",
      "varav nekade eller inte genomförda",
      "Inga åtkomster under perioden.",
      "Tiderna är svensk tid (CET på vintern, CEST på sommaren).",
      "Utdraget visar inte innehållet i några anteckningar och inga uppgifter om andra "
      "personer. Vårdnadshavare anges med nummer i den ordning de registrerades.",
      "Åtkomster per organisation",
      "tillåtna",
      "nekade",
      "inte genomförda",
      "Åtkomster",
      "(namn inte angivet)"};
  static const Labels en{
      "Log extract",
      "This is a list of every recorded access to the youth's data in the SSPF register: who "
      "did what, when, and on what basis.",
      "The youth",
      "Id in the register",
      "Period",
      "Issued",
      "Accesses",
      "of which refused or not carried out",
      "No accesses in the period.",
      "Times are Swedish time (CET in winter, CEST in summer).",
      "The extract shows no content of any entry and nothing about other people. Guardians are "
      "numbered in the order they were registered.",
      "Accesses per organisation",
      "allowed",
      "refused",
      "not carried out",
      "Accesses",
      "(name not given)"};
  return l == ReportLanguage::kSwedish ? sv : en;
}

std::string LocalDate(UnixSeconds t) { return StockholmTime(t).substr(0, 10); }

std::string PeriodText(const LogExtract& x) {
  return LocalDate(x.period_from) + " – " + LocalDate(x.period_until);
}

size_t NotAllowed(const LogExtract& x) {
  size_t n = 0;
  for (const ExtractLine& l : x.lines) n += l.outcome != ExtractOutcome::kAllowed;
  return n;
}

}  // namespace

std::string StockholmTime(UnixSeconds t, std::string* zone) {
  const int64_t local = internal::StockholmLocalSeconds(t);
  const int64_t days = internal::FloorDiv(local, internal::kSecondsPerDay);
  const int64_t sod = local - days * internal::kSecondsPerDay;
  const Date d = CivilFromDays(days);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day,
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60));
  if (zone) *zone = internal::StockholmSummerTime(t) ? "CEST" : "CET";
  return buf;
}

std::string LogExtractText(const LogExtract& x) {
  const Labels& L = LabelsOf(x.language);
  std::string out = std::string(L.title) + "\n\n";
  out += std::string(L.youth) + ": " + (x.youth_name.empty() ? L.unnamed : x.youth_name) + "\n";
  out += std::string(L.subject_id) + ": " + x.subject_id + "\n";
  out += std::string(L.period) + ": " + PeriodText(x) + "\n";
  out += std::string(L.issued) + ": " + LocalDate(x.issued) + "\n";
  out += std::string(L.count) + ": " + std::to_string(x.lines.size()) + " (" + L.not_allowed +
         ": " + std::to_string(NotAllowed(x)) + ")\n\n";
  if (x.lines.empty()) out += std::string(L.none) + "\n";
  for (const ExtractLine& l : x.lines) out += l.text + "\n";
  out += "\n" + std::string(L.times) + "\n" + L.privacy + "\n";
  return out;
}

std::string LogExtractHtml(const LogExtract& x) {
  const Labels& L = LabelsOf(x.language);
  const std::string youth = x.youth_name.empty() ? L.unnamed : x.youth_name;
  std::string body = "<header class=\"report\" id=\"extract-header\">";
  body += h::Element("h1", std::string(L.title) + ": " + youth);
  body += h::Element("p", L.intro, "note");
  body += "<dl class=\"facts\">";
  auto fact = [&](const char* label, const std::string& value, const char* id) {
    body += "<dt>" + h::Escape(label) + "</dt><dd id=\"" + id + "\">" + h::Escape(value) + "</dd>";
  };
  fact(L.youth, youth, "youth");
  fact(L.subject_id, x.subject_id, "subject-id");
  fact(L.period, PeriodText(x), "period");
  fact(L.issued, LocalDate(x.issued), "issued");
  fact(L.count, std::to_string(x.lines.size()) + " (" + L.not_allowed + ": " +
                    std::to_string(NotAllowed(x)) + ")",
       "count");
  body += "</dl></header>\n";

  // Per organisation: allowed, refused, not carried out.
  std::map<std::string, h::BarGroup> per_org;
  for (const ExtractLine& l : x.lines) {
    h::BarGroup& g = per_org[l.organisation];
    g.label = l.organisation;
    g.values.resize(3);
    ++g.values[static_cast<size_t>(l.outcome) - 1];
  }
  std::vector<h::BarGroup> groups;
  for (auto& [name, g] : per_org) groups.push_back(std::move(g));
  body += "<section id=\"summary\">" + h::Element("h2", L.per_org);
  body += "<figure class=\"chart\">" +
          h::StackedBars("chart-organisations", L.per_org, {L.allowed, L.denied, L.failed},
                         groups, L.none) +
          "</figure></section>\n";

  body += "<section id=\"accesses\">" + h::Element("h2", L.accesses);
  if (x.lines.empty()) body += h::Element("p", L.none, "note");
  body += "<ol class=\"accesses\">";
  for (const ExtractLine& l : x.lines) {
    const std::string when = l.local_time + " " + l.zone;
    body += "<li class=\"access " + std::string(ExtractOutcomeName(l.outcome)) + "\" id=\"e" +
            std::to_string(l.seq) + "\" data-seq=\"" + std::to_string(l.seq) +
            "\" data-outcome=\"" + ExtractOutcomeName(l.outcome) + "\" data-basis=\"" +
            h::Escape(l.basis_kind) + "\">";
    body += "<span class=\"when\"><time datetime=\"" + FormatRfc3339(l.time) + "\">" +
            h::Escape(when) + "</time></span> ";
    body += h::Element("span", l.what_text, "what") + " — ";
    const bool allowed = l.outcome == ExtractOutcome::kAllowed;
    body += h::Element("span", l.basis_label + ":", allowed ? "label" : "label outcome") + " ";
    body += h::Element("span", l.basis_text, allowed ? "basis" : "refusal");
    if (!l.purpose_text.empty()) {
      body += "; " + h::Element("span", x.language == ReportLanguage::kSwedish ? "ändamål:" : "purpose:",
                                "label") +
              " " + h::Element("span", l.purpose_text, "purpose");
    }
    body += "</li>";
  }
  body += "</ol></section>\n";
  body += "<footer class=\"report\">" + h::Element("p", L.times) + h::Element("p", L.privacy) +
          "</footer>";
  return h::Page(ReportLanguageName(x.language), std::string(L.title) + " — " + youth, body);
}

}  // namespace sspf
