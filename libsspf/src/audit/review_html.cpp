// The review report as one HTML page (audit review --html; sspf/report.h):
// the facts it rests on, the flags grouped by kind and linked to their
// events, three inline-SVG charts and a per-principal table.  Built only
// from ReviewReportInput; util/html.h draws the shared parts.
#include <map>
#include <string>

#include "sspf/encoding.h"
#include "sspf/report.h"
#include "util/html.h"

namespace sspf {

namespace {

namespace h = internal::html;

std::string Cell(const std::string& text, const char* cls = nullptr) {
  return cls ? "<td class=\"" + std::string(cls) + "\">" + h::Escape(text) + "</td>"
             : "<td>" + h::Escape(text) + "</td>";
}

std::string Day(UnixSeconds t) { return StockholmTime(t).substr(0, 10); }

std::string When(UnixSeconds t) {
  std::string zone;
  std::string local = StockholmTime(t, &zone);
  return local + " " + zone;
}

std::string Figure(const std::string& svg, const std::string& caption) {
  return "<figure class=\"chart\">" + svg + "<figcaption>" + h::Escape(caption) +
         "</figcaption></figure>";
}

// The checkpoint signer's name ("authority", or a principal id the review
// names somewhere: a summary row, a flag, a sign-off); else the id.
std::string SignerName(const ReviewReport& r, const std::string& id) {
  for (const ReviewCount& c : r.summary.per_principal) {
    if (c.key == id && !c.name.empty()) return c.name;
  }
  for (const ReviewFlag& f : r.flags) {
    if (f.principal_id == id && !f.principal_name.empty()) return f.principal_name;
    if (f.ack && f.ack->auditor_id == id && !f.ack->auditor_name.empty()) {
      return f.ack->auditor_name;
    }
  }
  for (const ReviewClosure& c : r.closures) {
    if (c.auditor_id == id && !c.auditor_name.empty()) return c.auditor_name;
  }
  return id;
}

}  // namespace

std::string ReviewReportHtml(const ReviewReportInput& in) {
  const ReviewReport& r = in.review;
  auto who = [](const std::string& name, const std::string& id) {
    return name.empty() ? id : name;
  };
  std::string period = (r.since ? When(*r.since) : std::string("the first event")) + " – " +
                       (r.until ? When(*r.until) + " (exclusive)" : std::string("now"));
  std::string body = "<header class=\"report\" id=\"review-header\">";
  body += h::Element("h1", "Log review (loggkontroll)");
  body += "<dl class=\"facts\">";
  auto fact = [&](const char* label, const std::string& value, const char* id) {
    body += "<dt>" + h::Escape(label) + "</dt><dd id=\"" + id + "\">" + h::Escape(value) + "</dd>";
  };
  fact("Store", r.store_id, "store");
  fact("Period", period, "period");
  std::string scope;
  if (r.principal) scope += "principal " + *r.principal + " ";
  if (r.actor) scope += std::string("actor ") + ActorName(*r.actor) + " ";
  if (r.flag_kind) scope += "flag kind " + *r.flag_kind;
  if (!scope.empty()) fact("Scope", scope, "scope");
  fact("Generated", When(r.generated), "generated");
  fact("Log verified", "tree size " + std::to_string(in.verified.tree_size) + ", root " +
                           Base64Encode(in.verified.root) + ", " +
                           std::to_string(in.verified.checkpoints_checked) +
                           " checkpoints checked",
       "verified");
  if (in.kept_checkpoint.empty()) {
    fact("Kept checkpoint", "none given: the log was checked only against its own "
                            "checkpoints (truncation and rollback are not ruled out)",
         "checkpoint");
  } else {
    // The note's body: origin, tree size, root (C2SP tlog-checkpoint).
    std::string origin, size, root;
    size_t pos = 0;
    for (std::string* line : {&origin, &size, &root}) {
      size_t end = in.kept_checkpoint.find('\n', pos);
      if (end == std::string::npos) break;
      *line = in.kept_checkpoint.substr(pos, end - pos);
      pos = end + 1;
    }
    fact("Kept checkpoint",
         origin + ", tree size " + size + ", root " + root +
             (in.verified.kept_checkpoint_consistent ? " — consistent with the log"
                                                     : " — NOT consistent") +
             (in.verified.kept_checkpoint_signer.empty()
                  ? ""
                  : ", signed by " + SignerName(r, in.verified.kept_checkpoint_signer)),
         "checkpoint");
  }
  fact("Events in scope", std::to_string(r.events_in_scope) + " of " +
                              std::to_string(r.tree_size) + " in the log",
       "event-count");
  fact("Flags", std::to_string(r.flags.size()) + ": " + std::to_string(r.flags_open) +
                    " open, " + std::to_string(r.flags_acknowledged) + " signed off",
       "flag-count");
  body += "</dl></header>\n";

  // ---- Flags, grouped by kind --------------------------------------------
  std::map<std::string, std::vector<const ReviewFlag*>> kinds;
  for (const ReviewFlag& f : r.flags) kinds[f.kind].push_back(&f);
  body += "<section id=\"flags\">" + h::Element("h2", "Flags to review (att granska)");
  if (kinds.empty()) body += h::Element("p", "No events flagged in the period.", "note");
  for (const auto& [kind, flags] : kinds) {
    body += "<section class=\"flag-group\" id=\"flags-" + h::Escape(kind) + "\">";
    body += h::Element("h3", kind + " (" + std::to_string(flags.size()) + ")");
    body += "<table class=\"flags\"><thead><tr><th class=\"num\">event</th><th>time</th>"
            "<th>principal</th><th>target</th><th>detail</th><th>status</th></tr></thead><tbody>";
    for (const ReviewFlag* f : flags) {
      body += "<tr class=\"flag\" data-kind=\"" + h::Escape(kind) + "\" data-status=\"" +
              (f->ack ? "acknowledged" : "open") + "\"><td class=\"num\">";
      body += "<a href=\"#ev-" + std::to_string(f->seq) + "\">" + std::to_string(f->seq) +
              "</a></td>";
      body += Cell(When(f->time)) + Cell(who(f->principal_name, f->principal_id)) +
              Cell(f->target, "long") + Cell(f->detail, "long");
      body += Cell(f->ack ? "signed off by " + who(f->ack->auditor_name, f->ack->auditor_id) +
                                " " + When(f->ack->time)
                          : std::string("open"));
      body += "</tr>";
    }
    body += "</tbody></table></section>";
  }
  body += "</section>\n";

  // ---- Charts ----------------------------------------------------------------
  std::vector<std::string> actors;
  for (Actor a : kAllActors) actors.push_back(ActorName(a));
  std::map<std::string, h::BarGroup> per_period;  // allowed events by actor
  for (const ReviewCount& c : r.summary.per_actor) {
    h::BarGroup& g = per_period[c.period];
    g.label = c.period;
    g.values.resize(actors.size());
    for (size_t i = 0; i < actors.size(); ++i) {
      if (actors[i] == c.key) g.values[i] += c.accesses;
    }
  }
  struct Totals {
    std::string name;
    uint64_t events = 0, denied = 0, reads = 0, flags = 0, open = 0;
  };
  std::map<std::string, Totals> per_principal;
  for (const ReviewCount& c : r.summary.per_principal) {
    Totals& t = per_principal[c.key];
    t.name = who(c.name, c.key);
    t.events += c.events;
    t.denied += c.denied;
    t.reads += c.entry_reads;
  }
  for (const ReviewFlag& f : r.flags) {
    Totals& t = per_principal[f.principal_id];
    if (t.name.empty()) t.name = who(f.principal_name, f.principal_id);
    ++t.flags;
    t.open += !f.ack;
  }
  std::vector<h::BarGroup> denied;
  for (const auto& [id, t] : per_principal) {
    if (t.denied > 0) denied.push_back({t.name, {t.denied}});
  }
  std::map<std::string, h::BarGroup> special;  // by day: emergency, provision
  for (const ReviewFlag& f : r.flags) {
    const bool emergency = f.kind == "emergency-grant";
    if (!emergency && f.kind != "legal-provision") continue;
    h::BarGroup& g = special[Day(f.time)];
    g.label = Day(f.time);
    g.values.resize(2);
    ++g.values[emergency ? 0 : 1];
  }
  auto values = [](std::map<std::string, h::BarGroup>& m) {
    std::vector<h::BarGroup> out;
    for (auto& [k, g] : m) out.push_back(std::move(g));
    return out;
  };
  const char* unit = r.summary.by == ReviewPeriodUnit::kWeek ? "week" : "day";
  body += "<section id=\"charts\">" + h::Element("h2", "Charts (diagram)");
  body += Figure(h::StackedBars("chart-accesses", std::string("Accesses per ") + unit + " by actor",
                                actors, values(per_period), "no accesses"),
                 std::string("Allowed accesses to cases and subjects per ") + unit +
                     " (Stockholm time), by the actor of the principal.");
  body += Figure(h::StackedBars("chart-denied", "Denied attempts per principal", {"denied"},
                                denied, "no denied attempts"),
                 "Requests the access policy refused, per principal.");
  body += Figure(h::StackedBars("chart-emergency", "Emergency and provision accesses per day",
                                {"emergency grant", "legal provision"}, values(special),
                                "no emergency or provision accesses"),
                 "Emergency grants and access under them, and disclosures and reads under a "
                 "legal provision, per day (from the flags).");
  body += "</section>\n";

  // ---- Per principal, top readers ---------------------------------------------
  body += "<section id=\"principals\">" + h::Element("h2", "Per principal (per användare)");
  body += "<table class=\"principals\"><thead><tr><th>principal</th>"
          "<th class=\"num\">events</th><th class=\"num\">entry reads</th>"
          "<th class=\"num\">denied</th><th class=\"num\">flags</th>"
          "<th class=\"num\">open</th></tr></thead><tbody>";
  for (const auto& [id, t] : per_principal) {
    body += "<tr class=\"principal\">" + Cell(t.name) + Cell(std::to_string(t.events), "num") +
            Cell(std::to_string(t.reads), "num") + Cell(std::to_string(t.denied), "num") +
            Cell(std::to_string(t.flags), "num") + Cell(std::to_string(t.open), "num") + "</tr>";
  }
  body += "</tbody></table>";
  if (!r.top_readers.empty()) {
    body += h::Element("h3", "Top readers per case (flitigaste läsare)");
    body += "<table class=\"readers\"><thead><tr><th>case</th><th>principal</th><th>actor</th>"
            "<th class=\"num\">reads</th><th class=\"num\">denied</th><th>last</th></tr></thead>"
            "<tbody>";
    for (const CaseReaders& c : r.top_readers) {
      for (const CaseReader& p : c.readers) {
        body += "<tr>" + Cell(c.case_id, "long") + Cell(who(p.name, p.principal_id)) +
                Cell(ActorName(p.actor) ? ActorName(p.actor) : "?") +
                Cell(std::to_string(p.reads), "num") + Cell(std::to_string(p.denied), "num") +
                Cell(When(p.last)) + "</tr>";
      }
    }
    body += "</tbody></table>";
  }
  body += "</section>\n";

  // ---- The flagged events ------------------------------------------------------
  std::map<uint64_t, const ReviewFlag*> flagged;
  for (const ReviewFlag& f : r.flags) flagged.emplace(f.seq, &f);
  body += "<section id=\"events\">" + h::Element("h2", "Flagged events (flaggade händelser)");
  body += "<table class=\"events\"><thead><tr><th class=\"num\">seq</th><th>time</th>"
          "<th>principal</th><th>actor</th><th>action</th><th>case</th><th>target</th>"
          "<th>decision</th></tr></thead><tbody>";
  for (const auto& [seq, f] : flagged) {
    body += "<tr class=\"event\" id=\"ev-" + std::to_string(seq) + "\">" +
            Cell(std::to_string(seq), "num") + Cell(When(f->time)) +
            Cell(who(f->principal_name, f->principal_id)) +
            Cell(ActorName(f->actor) ? ActorName(f->actor) : "?") +
            Cell(ActionName(f->action) ? ActionName(f->action) : "?") + Cell(f->case_id, "long") +
            Cell(f->target, "long") + Cell(f->allowed ? "allow" : "deny") + "</tr>";
  }
  body += "</tbody></table></section>\n";
  body += "<footer class=\"report\">" +
          h::Element("p", "Times are Stockholm time (CET/CEST). Look an event up with "
                          "sspf-tool audit query --seq N; sign a flag off with audit ack N.") +
          "</footer>";
  return h::Page("en", "Log review — " + r.store_id, body);
}

}  // namespace sspf
