// Human case numbers (issue 14): "2026-0042", the UTC year of a case's
// case.open event and the event's place among that year's successful
// case.open events in log order.  The number is derived from the signed
// log; cases.number is a copy for lookup, replayed by audit verify
// (log/replay.cpp) and checked here at every use (DESIGN §13): an insider
// with the SQLCipher key who swaps two numbers in the table gets a refusal,
// not another youth's case.
#include <map>

#include "sspf/civil_time.h"

#include "context/trust.h"
#include "domain/domain_internal.h"

namespace sspf::internal {

namespace {

constexpr int kCaseOpen = static_cast<int>(Action::kCaseOpen);

// The first second of `year` (UTC).
UnixSeconds YearStart(int year) { return DaysFromCivil(Date{year, 1, 1}) * 86400; }

}  // namespace

std::optional<int> CaseNumberYearOf(std::string_view number) {
  if (number.size() < 5 || number[4] != '-' ||
      number.substr(0, 4).find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoi(std::string(number.substr(0, 4)));
}

// The year's successful case.open events in log order, counted from where
// this session stopped the last time (Session::Impl::CountedCaseYear).  The
// log's times never go backwards (AppendEvent), so the events after the
// last one counted are in the index range from its time on: opening the
// n-th case of a year reads the events since the previous count, not n-1
// rows.  An event inserted out of time order is audit verify's to find
// (time order), as before.
Result<const Session::Impl::CountedCaseYear*> CountedYear(Session::Impl* impl, int year) {
  Session::Impl::CountedCaseYear& y = impl->case_years[year];
  if (y.any) {
    SSPF_ASSIGN_OR_RETURN(
        Stmt * last,
        impl->db->Prepare("SELECT case_id, time, action, allowed FROM events WHERE seq = ?"));
    last->Bind(1, static_cast<int64_t>(y.last_seq));
    SSPF_ASSIGN_OR_RETURN(bool row, last->Step());
    const bool same = row && last->Text(0) == y.last_case && last->Int(1) == y.last_time &&
                      last->Int(2) == kCaseOpen && last->Int(3) == 1;
    last->Reset();
    if (!same) y = Session::Impl::CountedCaseYear();
  }
  static const std::string sql =
      "SELECT seq, case_id, time, detail FROM events INDEXED BY events_case_open WHERE "
      "action = " + std::to_string(kCaseOpen) +
      " AND allowed = 1 AND time >= ? AND time < ? AND seq > ? ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  st->Bind(1, y.any ? y.last_time : YearStart(year))
      .Bind(2, YearStart(year + 1))
      .Bind(3, y.any ? static_cast<int64_t>(y.last_seq) : int64_t{-1});
  Session::Impl::CountedCaseYear next = y;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    next.any = true;
    next.last_seq = static_cast<uint64_t>(st->Int(0));
    next.last_case = st->Text(1);
    next.last_time = st->Int(2);
    if (!IsFailureDetail(st->Text(3))) {
      next.numbers[next.last_case] = FormatCaseNumber(year, ++next.count);
    }
    return Status::Ok();
  }));
  y = std::move(next);
  return &y;
}

Result<std::string> NextCaseNumber(Session::Impl* impl, UnixSeconds now) {
  const int year = CaseNumberYear(now);
  SSPF_ASSIGN_OR_RETURN(const Session::Impl::CountedCaseYear* y, CountedYear(impl, year));
  return FormatCaseNumber(year, y->count + 1);
}

Result<const std::map<std::string, std::string>*> LoggedCaseNumbersOfYear(Session::Impl* impl,
                                                                          int year) {
  SSPF_ASSIGN_OR_RETURN(const Session::Impl::CountedCaseYear* y, CountedYear(impl, year));
  return &y->numbers;
}

Result<std::map<std::string, std::string>> LoggedCaseNumbers(Session::Impl* impl) {
  // Every case.open event, in log order (the partial index holds only them);
  // each year's numbers count that year's events.
  static const std::string sql =
      "SELECT case_id, time, detail FROM events INDEXED BY events_case_open WHERE action = " +
      std::to_string(kCaseOpen) + " AND allowed = 1 ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare(sql.c_str()));
  std::map<int, uint64_t> per_year;
  std::map<std::string, std::string> out;
  SSPF_RETURN_IF_ERROR(ForEachRow(st, [&]() -> Status {
    if (IsFailureDetail(st->Text(2))) return Status::Ok();
    const int year = CaseNumberYear(st->Int(1));
    out[st->Text(0)] = FormatCaseNumber(year, ++per_year[year]);
    return Status::Ok();
  }));
  return out;
}

Status CheckCaseNumbers(const std::map<std::string, std::string>& logged,
                        const std::vector<CaseInfo>& cases) {
  for (const CaseInfo& c : cases) {
    auto it = logged.find(c.id);
    if (it == logged.end() || it->second != c.number) {
      return IntegrityViolation(
          "case " + c.id + ": its case number " + c.number + " is not the one the access log " +
          (it == logged.end() ? std::string("gives (no case.open event)")
                              : "gives it (" + it->second + ")") +
          "; direct edit: run audit verify");
    }
  }
  return Status::Ok();
}

Result<std::optional<std::string>> CaseIdByNumber(Session::Impl* impl, std::string_view number) {
  SSPF_ASSIGN_OR_RETURN(Stmt * st, impl->db->Prepare("SELECT id FROM cases WHERE number = ?"));
  st->Bind(1, number);
  SSPF_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::string> id;
  if (row) id = st->Text(0);
  st->Reset();
  std::optional<std::string> by_log;
  if (std::optional<int> year = CaseNumberYearOf(number)) {
    SSPF_ASSIGN_OR_RETURN(const auto* logged, LoggedCaseNumbersOfYear(impl, *year));
    for (const auto& [case_id, n] : *logged) {
      if (n == number) by_log = case_id;
    }
  }
  if (id != by_log) {
    return IntegrityViolation("case number " + std::string(number) +
                              " names another case in the cases table than in the access log "
                              "(direct edit): run audit verify");
  }
  if (!id) return id;
  // The event that numbers the case is the one its author signed.
  static const std::string event_sql =
      std::string("SELECT ") + kEventColumns +
      " FROM events INDEXED BY events_case WHERE case_id = ? AND action = " +
      std::to_string(kCaseOpen) + " AND allowed = 1 ORDER BY seq";
  SSPF_ASSIGN_OR_RETURN(Stmt * ev, impl->db->Prepare(event_sql.c_str()));
  ev->Bind(1, *id);
  SSPF_ASSIGN_OR_RETURN(std::vector<EventRecord> events, ReadEventRows(ev));
  for (const EventRecord& e : events) {
    if (!IsFailureDetail(e.detail)) SSPF_RETURN_IF_ERROR(CheckEventSignature(impl, e));
  }
  return id;
}

}  // namespace sspf::internal
