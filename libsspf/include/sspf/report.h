// Copyright (c) libsspf authors.
//
// Reports for people: the log extract (loggutdrag) a youth and the family
// are given, in plain Swedish or English, as text or as one self-contained
// HTML file (docs/auditing.md, "Loggutdrag").  Session::ExtractSubjectReport
// builds the record; the functions below render it.  The same record as
// JSON is LogExtractJson (sspf/json.h).
//
// What a log extract holds: one line per logged access to the youth's data
// (the subject, its cases, consents and entries): when (Europe/Stockholm
// time, the zone shown), which organisation (actor) and user, what was
// done, on what basis (consent and by whom, a grant and its provision, a
// provision cited), and whether it was refused or failed.  Never entry
// content, purpose notes or reasons (motiveringar), and nothing about
// other people: other subjects' events are not read, guardians are
// numbered, not named.
//
// Thread-safety: the functions are pure functions of their arguments.
//
// Secrets: the record and its renderings carry youth_name when the issuer
// gave one; wipe them (SecureWipe) when done.
#ifndef SSPF_REPORT_H_
#define SSPF_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sspf/export.h"
#include "sspf/records.h"
#include "sspf/types.h"

namespace sspf {

enum class ReportLanguage : uint8_t {
  kSwedish = 1,  // "sv"
  kEnglish = 2,  // "en"
};
// "sv", "en".
SSPF_EXPORT const char* ReportLanguageName(ReportLanguage l);
// Parses "sv" or "en"; std::nullopt for anything else.
SSPF_EXPORT std::optional<ReportLanguage> ParseReportLanguage(std::string_view s);

// What to put in a log extract.
struct ExtractOptions {
  // The youth's name for the header, as the issuer has it from the
  // family's request.  The library never decrypts it from the store for
  // an extract: an auditor does not read identity records.  Empty: the
  // header names the youth by the subject id only.
  std::string youth_name;
  // The period: events with since <= time < until (Unix seconds, UTC, as
  // AuditFilter); unset means from the first event, or up to and including
  // the extract's own event.
  std::optional<UnixSeconds> since;
  std::optional<UnixSeconds> until;
  ReportLanguage language = ReportLanguage::kSwedish;
};

// How an access ended.  A refused operation is never kAllowed.
enum class ExtractOutcome : uint8_t {
  kAllowed = 1,  // allowed and carried out
  kDenied = 2,   // refused by the access policy
  kFailed = 3,   // allowed, then not carried out (e.g. already registered)
};
// "allowed", "denied", "failed".
SSPF_EXPORT const char* ExtractOutcomeName(ExtractOutcome o);

// One logged access, with its plain-language line.
struct ExtractLine {
  uint64_t seq = 0;       // the event (audit query --seq N)
  UnixSeconds time = 0;   // UTC
  std::string local_time;  // "2026-11-30 14:02"  (Europe/Stockholm)
  std::string zone;        // "CET" or "CEST"
  std::string principal_id;
  std::string principal_name;  // empty when unknown
  Actor actor = Actor::kSchool;
  std::string organisation;  // the actor in the extract's language ("Polisen")
  Action action = Action::kUnlock;
  ExtractOutcome outcome = ExtractOutcome::kAllowed;
  // The basis of an allowed access: "consent", "grant", "provision",
  // "team", "author-actor", "role", "other"; empty when refused or failed.
  std::string basis_kind;
  // For "consent": who consented, "youth" or "guardian:<n>" (n = 1, 2, ...
  // in the order the guardians were registered), in that order.
  std::vector<std::string> consent_parties;
  // For "provision", and "grant" when the grant's provision is in the log:
  // the provision cited ("OSL 10 kap. 18 a §").
  std::string provision;
  // The purpose code, without any purpose note.
  std::string purpose;
  // For kDenied and kFailed: the policy's rule or the status code (ids and
  // codes only), as in the log.
  std::string refusal;
  // The parts of `text`, in the extract's language: who did what ("Polisen
  // (användare polis1) läste en anteckning från skolan"), the label of
  // what follows ("grund", "nekades", "genomfördes inte"), the basis or
  // why it was refused or failed, and the purpose's label (empty if none).
  std::string what_text;
  std::string basis_label;
  std::string basis_text;
  std::string purpose_text;
  // The line in the extract's language, e.g. "2026-11-30 14:02 CET Polisen
  // (användare polis1) läste en anteckning från skolan — grund: samtycke
  // (vårdnadshavare 1, 2 och den unge)": "<local_time> <zone> <what_text>
  // — <basis_label>: <basis_text>[; ändamål|purpose: <purpose_text>]".
  std::string text;
};

// A log extract (loggutdrag) of one subject.
struct LogExtract {
  std::string subject_id;
  std::string youth_name;  // as given in ExtractOptions (may be empty)
  ReportLanguage language = ReportLanguage::kSwedish;
  UnixSeconds issued = 0;  // the extract's own event time
  UnixSeconds period_from = 0;   // options.since, or the first event's time
  UnixSeconds period_until = 0;  // options.until (exclusive), or `issued`
  std::vector<ExtractLine> lines;  // oldest first
};

// Local time in Europe/Stockholm, "YYYY-MM-DD HH:MM", and its zone ("CET"
// or "CEST"; EU summer time rules, without the tz database).
SSPF_EXPORT std::string StockholmTime(UnixSeconds t, std::string* zone = nullptr);

// The extract as plain UTF-8 text: a header (the youth, the period, the
// date of issue) and one line per access.
SSPF_EXPORT std::string LogExtractText(const LogExtract& extract);
// The extract as one self-contained HTML5 document (inline CSS with print
// rules, no scripts, no external resources); every value HTML-escaped.
SSPF_EXPORT std::string LogExtractHtml(const LogExtract& extract);

// ---- The review report (loggkontroll) ------------------------------------
// What `audit review --html` shows: the scoped review (Session::Review with
// ReviewOptions) and the verification it rests on.  The renderer reads
// nothing else.
struct ReviewReportInput {
  ReviewReport review;
  // Session::Verify's report, and the kept checkpoint note it was verified
  // against (empty when none was given: the page says so).
  VerifyReport verified;
  std::string kept_checkpoint;
};

// One self-contained HTML page (English, Swedish terms beside): the period,
// the store, the checkpoint, the flags grouped by kind (open or signed off)
// and linked to their events, inline-SVG charts (accesses per period by
// actor, denied attempts per principal, emergency and provision accesses
// per day), the per-principal table and the top readers per case; print
// CSS; every value escaped.
SSPF_EXPORT std::string ReviewReportHtml(const ReviewReportInput& input);

}  // namespace sspf

#endif  // SSPF_REPORT_H_
