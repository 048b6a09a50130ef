// The review report as one HTML page (audit review --html; sspf/report.h):
// the facts it rests on, the flags grouped by kind and linked to their
// events, three inline-SVG charts and a per-principal table.  Built only
// from ReviewReportInput; util/html.h draws the shared parts.
#include <map>
#include <set>
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

bool IsAccess(const AuditEvent& e) {
  return e.allowed && (!e.case_id.empty() || !e.subject_id.empty());
}
bool IsEmergency(const AuditEvent& e) {
  return e.allowed && (e.action == Action::kGrantEmergency || e.basis == "grant" ||
                       e.basis.rfind("grant:", 0) == 0 ||
                       (e.reason.size() >= 7 &&
                        e.reason.compare(e.reason.size() - 7, 7, "(grant)") == 0));
}
bool IsProvision(const AuditEvent& e) {
  return e.allowed && e.action != Action::kGrantEmergency &&
         e.basis.rfind("provision:", 0) == 0;
}

// Every local day from the first to the last event (so gaps show).
std::vector<std::string> Days(const std::vector<AuditEvent>& events) {
  std::vector<std::string> out;
  if (events.empty()) return out;
  const int64_t step = 86400;
  std::string last = Day(events.back().time);
  for (UnixSeconds t = events.front().time;; t += step) {
    std::string d = Day(t);
    if (out.empty() || out.back() != d) out.push_back(d);
    if (d >= last || out.size() > 400) break;
  }
  if (out.back() != last) out.push_back(last);
  return out;
}

std::string Figure(const std::string& svg, const std::string& caption) {
  return "<figure class=\"chart\">" + svg + "<figcaption>" + h::Escape(caption) +
         "</figcaption></figure>";
}

}  // namespace

std::string ReviewReportHtml(const ReviewReportInput& in) {
  std::map<std::string, const PrincipalInfo*> principal;
  for (const PrincipalInfo& p : in.principals) principal[p.id] = &p;
  auto name = [&](const std::string& id) {
    auto it = principal.find(id);
    return it == principal.end() ? id : it->second->name;
  };
  std::map<uint64_t, const AuditEvent*> by_seq;
  for (const AuditEvent& e : in.events) by_seq[e.seq] = &e;

  const std::string period =
      (in.since ? When(*in.since) : std::string("the first event")) + " – " +
      (in.until ? When(*in.until) + " (exclusive)" : std::string("now"));
  std::string body = "<header class=\"report\" id=\"review-header\">";
  body += h::Element("h1", "Log review (loggkontroll)");
  body += "<dl class=\"facts\">";
  auto fact = [&](const char* label, const std::string& value, const char* id) {
    body += "<dt>" + h::Escape(label) + "</dt><dd id=\"" + id + "\">" + h::Escape(value) + "</dd>";
  };
  fact("Store", in.store_id, "store");
  fact("Period", period, "period");
  fact("Generated", When(in.generated), "generated");
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
    std::string signer = in.verified.kept_checkpoint_signer;
    if (signer != "authority" && !signer.empty()) signer = name(signer);
    fact("Kept checkpoint",
         origin + ", tree size " + size + ", root " + root +
             (in.verified.kept_checkpoint_consistent ? " — consistent with the log"
                                                     : " — NOT consistent") +
             (signer.empty() ? "" : ", signed by " + signer),
         "checkpoint");
  }
  fact("Events in the period", std::to_string(in.events.size()), "event-count");
  fact("Flags", std::to_string(in.flags.size()), "flag-count");
  body += "</dl></header>\n";

  // ---- Flags, grouped by kind --------------------------------------------
  std::map<std::string, std::vector<const ReviewFlag*>> kinds;
  for (const ReviewFlag& f : in.flags) kinds[f.kind].push_back(&f);
  body += "<section id=\"flags\">" + h::Element("h2", "Flags to review (att granska)");
  if (kinds.empty()) body += h::Element("p", "No events flagged in the period.", "note");
  for (const auto& [kind, flags] : kinds) {
    body += "<section class=\"flag-group\" id=\"flags-" + h::Escape(kind) + "\">";
    body += h::Element("h3", kind + " (" + std::to_string(flags.size()) + ")");
    body += "<table class=\"flags\"><thead><tr><th class=\"num\">event</th><th>time</th>"
            "<th>principal</th><th>target</th><th>detail</th></tr></thead><tbody>";
    for (const ReviewFlag* f : flags) {
      auto ev = by_seq.find(f->seq);
      body += "<tr class=\"flag\" data-kind=\"" + h::Escape(kind) + "\"><td class=\"num\">";
      body += "<a href=\"#ev-" + std::to_string(f->seq) + "\">" + std::to_string(f->seq) +
              "</a></td>";
      body += Cell(ev == by_seq.end() ? "" : When(ev->second->time));
      body += Cell(name(f->principal_id)) + Cell(f->target) + Cell(f->detail) + "</tr>";
    }
    body += "</tbody></table></section>";
  }
  body += "</section>\n";

  // ---- Charts ----------------------------------------------------------------
  const std::vector<std::string> days = Days(in.events);
  std::vector<std::string> actors;
  for (Actor a : kAllActors) actors.push_back(ActorName(a));
  std::map<std::string, h::BarGroup> per_day, special;
  for (const std::string& d : days) {
    per_day[d] = {d, std::vector<uint64_t>(actors.size())};
    special[d] = {d, std::vector<uint64_t>(2)};
  }
  std::map<std::string, uint64_t> denied;
  for (const AuditEvent& e : in.events) {
    const std::string d = Day(e.time);
    if (IsAccess(e)) {
      const size_t a = static_cast<size_t>(e.actor) - 1;
      if (a < actors.size()) ++per_day[d].values[a];
    }
    if (IsEmergency(e)) ++special[d].values[0];
    if (IsProvision(e)) ++special[d].values[1];
    if (!e.allowed) ++denied[name(e.principal_id)];
  }
  auto values = [](std::map<std::string, h::BarGroup>& m) {
    std::vector<h::BarGroup> out;
    for (auto& [k, g] : m) out.push_back(std::move(g));
    return out;
  };
  std::vector<h::BarGroup> denied_groups;
  for (const auto& [n, c] : denied) denied_groups.push_back({n, {c}});
  body += "<section id=\"charts\">" + h::Element("h2", "Charts (diagram)");
  body += Figure(h::StackedBars("chart-accesses", "Accesses per day by actor", actors,
                                values(per_day), "no accesses"),
                 "Allowed accesses to subjects, cases and entries per day (Stockholm time), "
                 "by the actor of the principal.");
  body += Figure(h::StackedBars("chart-denied", "Denied attempts per principal", {"denied"},
                                denied_groups, "no denied attempts"),
                 "Requests the access policy refused, per principal.");
  body += Figure(h::StackedBars("chart-emergency", "Emergency and provision accesses per day",
                                {"emergency grant", "legal provision"}, values(special),
                                "no emergency or provision accesses"),
                 "Emergency grants and access under them, and disclosures and reads under a "
                 "legal provision, per day.");
  body += "</section>\n";

  // ---- Per principal ----------------------------------------------------------
  struct Row {
    uint64_t events = 0, reads = 0, denied = 0, flags = 0;
  };
  std::map<std::string, Row> rows;
  for (const AuditEvent& e : in.events) {
    Row& r = rows[e.principal_id];
    ++r.events;
    r.reads += e.allowed && e.action == Action::kEntryRead;
    r.denied += !e.allowed;
  }
  for (const ReviewFlag& f : in.flags) ++rows[f.principal_id].flags;
  body += "<section id=\"principals\">" + h::Element("h2", "Per principal (per användare)");
  body += "<table class=\"principals\"><thead><tr><th>principal</th><th>actor</th><th>role</th>"
          "<th class=\"num\">events</th><th class=\"num\">entry reads</th>"
          "<th class=\"num\">denied</th><th class=\"num\">flags</th></tr></thead><tbody>";
  for (const auto& [id, r] : rows) {
    auto it = principal.find(id);
    body += "<tr class=\"principal\">" + Cell(name(id)) +
            Cell(it == principal.end() ? "" : ActorName(it->second->actor)) +
            Cell(it == principal.end() ? "" : RoleName(it->second->role)) +
            Cell(std::to_string(r.events), "num") + Cell(std::to_string(r.reads), "num") +
            Cell(std::to_string(r.denied), "num") + Cell(std::to_string(r.flags), "num") +
            "</tr>";
  }
  body += "</tbody></table></section>\n";

  // ---- The flagged events ------------------------------------------------------
  std::set<uint64_t> flagged;
  for (const ReviewFlag& f : in.flags) flagged.insert(f.seq);
  body += "<section id=\"events\">" + h::Element("h2", "Flagged events (flaggade händelser)");
  body += "<table class=\"events\"><thead><tr><th class=\"num\">seq</th><th>time</th>"
          "<th>principal</th><th>actor</th><th>action</th><th>target</th><th>decision</th>"
          "<th>reason</th><th>basis</th></tr></thead><tbody>";
  for (uint64_t seq : flagged) {
    auto it = by_seq.find(seq);
    if (it == by_seq.end()) continue;
    const AuditEvent& e = *it->second;
    body += "<tr class=\"event\" id=\"ev-" + std::to_string(seq) + "\">" +
            Cell(std::to_string(seq), "num") + Cell(When(e.time)) + Cell(name(e.principal_id)) +
            Cell(ActorName(e.actor) ? ActorName(e.actor) : "?") +
            Cell(ActionName(e.action) ? ActionName(e.action) : "?") + Cell(e.target) +
            Cell(e.allowed ? "allow" : "deny") + Cell(e.reason) + Cell(e.basis) + "</tr>";
  }
  body += "</tbody></table></section>\n";
  body += "<footer class=\"report\">" +
          h::Element("p", "Times are Stockholm time (CET/CEST). The log holds ids and codes "
                          "only; names come from the principals table. Generated by sspf-tool "
                          "audit review --html.") +
          "</footer>";
  return h::Page("en", "Log review — " + in.store_id, body);
}

}  // namespace sspf
