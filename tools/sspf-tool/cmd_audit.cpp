// Access-log commands for auditors: audit checkpoint | verifier-key |
// trust-anchor | verify | prove | consistency | export | query | extract
// (DESIGN §6, §9, §13); the review is cmd_review.cpp.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "cli.h"

namespace sspf::cli {
namespace {

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (s.size() > (1 << 20)) return InvalidArgument(path + " is too large for a checkpoint");
  return s;
}

}  // namespace

Status ReadCheckpoint(const std::string& path, std::optional<std::string>* note) {
  if (path.empty()) return Status::Ok();
  SSPF_ASSIGN_OR_RETURN(*note, ReadTextFile(path));
  return Status::Ok();
}

namespace {

std::string NameOr(const char* n, int v) { return n ? n : std::to_string(v); }

// Filter options shared by query and export.
struct FilterArgs {
  std::string case_id, subject, principal, action, actor, target, since, until;
  bool denied = false, allowed = false;
  Count limit;

  void Add(po::options_description& desc) {
    desc.add_options()
        ("case", po::value<std::string>(&case_id), "events of this case")
        ("subject", po::value<std::string>(&subject), "events of this subject (youth)")
        ("principal", po::value<std::string>(&principal),
         "events of this principal (by name; --user is who you are)")
        ("action", po::value<std::string>(&action), "e.g. entry.read, consent.withdraw")
        ("actor", po::value<std::string>(&actor), "school | social | police | leisure | coordination")
        ("target", po::value<std::string>(&target), "exact target, e.g. entry:<id>")
        ("denied", po::bool_switch(&denied), "only denied requests")
        ("allowed", po::bool_switch(&allowed), "only allowed requests")
        ("since", po::value<std::string>(&since), "from this time (inclusive): YYYY-MM-DD, "
                                                   "YYYY-MM-DDTHH:MM:SSZ or Unix seconds")
        ("until", po::value<std::string>(&until), "up to this time (exclusive)")
        ("limit", po::value<Count>(&limit), "at most this many events (1 or more)");
  }

  // kInvalidArgument (a usage error) for bad values.
  Status Build(AuditFilter* out) const {
    AuditFilter& f = *out;
    if (!case_id.empty()) f.case_id = case_id;
    if (!subject.empty()) f.subject_id = subject;
    if (!principal.empty()) f.principal = principal;
    if (!target.empty()) f.target = target;
    if (!action.empty()) {
      f.action = ParseAction(action);
      if (!f.action) return InvalidArgument("unknown action '" + action + "'");
    }
    if (!actor.empty()) {
      f.actor = ParseActor(actor);
      if (!f.actor) return InvalidArgument("unknown actor '" + actor + "'");
    }
    if (denied && allowed) return InvalidArgument("--denied and --allowed exclude each other");
    if (denied) f.allowed = false;
    if (allowed) f.allowed = true;
    if (!since.empty()) {
      SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(since));
      f.since = t;
    }
    if (!until.empty()) {
      SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(until));
      f.until = t;
    }
    if (limit.given && limit.value == 0) return InvalidArgument("--limit must be 1 or more");
    f.limit = static_cast<size_t>(limit.value);
    return Status::Ok();
  }
};

int Checkpoint(Context& ctx) {
  po::options_description desc("Options");
  std::string out;
  desc.add_options()("out", po::value<std::string>(&out),
                     "write the signed checkpoint to this file (mode 0644) instead of stdout");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "audit checkpoint [--out FILE]\n\n"
                   "Signs a checkpoint of the access log now (auditor).  Keep a copy OUTSIDE\n"
                   "the store (mail it to the data protection officer, a witness, print it):\n"
                   "`audit verify --checkpoint FILE` later proves the log was not rolled back.\n"
                   "Example:\n  sspf-tool --user eva.revisor audit checkpoint --out kept-2026-12.txt",
                   desc, {}, &exit);
  if (!s) return exit;
  Result<std::string> note = s->Checkpoint();
  if (!note.ok()) return Fail(ctx, note.status());
  if (!out.empty()) {
    Status w = WriteFileAtomically(out, *note);
    if (!w.ok()) return Fail(ctx, w);
  }
  if (ctx.globals.json) {
    std::optional<std::string_view> file;
    if (!out.empty()) file = out;
    PrintJson(ctx, CheckpointJson(*note, file));
  } else if (out.empty()) {
    *ctx.out << *note;
  } else {
    *ctx.out << "Checkpoint written to " << out << "\n";
  }
  return kExitOk;
}

int VerifierKeyCmd(Context& ctx) {
  po::options_description desc("Options");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "audit verifier-key\n\n"
                   "Prints the store's public checkpoint key (a C2SP/Go sumdb note verifier\n"
                   "key line).  Give it to whoever checks checkpoints independently.  Example:\n"
                   "  sspf-tool --user eva.revisor audit verifier-key > verifier.key",
                   desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->VerifierKey(), VerifierKeyJson,
              [&](const std::string& vkey) { *ctx.out << vkey << "\n"; });
}

// The anchor kept out of band (--expect FILE): the first line of the file
// that holds a base64 key alone or after the word "trust-anchor" (the first
// line audit trust-anchor prints).
Status ReadExpectedAnchor(const std::string& path, std::string* key) {
  if (path.empty()) return Status::Ok();
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read the --expect file");
  std::string line;
  for (int n = 0; n < 1000 && std::getline(in, line); ++n) {
    std::istringstream words(line);
    std::string word, extra;
    if (!(words >> word)) continue;
    if (word == "trust-anchor" && !(words >> word)) continue;
    if (word.size() == 44 && !(words >> extra)) {
      *key = word;
      return Status::Ok();
    }
  }
  return InvalidArgument(
      "the --expect file holds no trust anchor (a base64 key of 44 characters, alone on a "
      "line or after 'trust-anchor', as audit trust-anchor prints it)");
}

int TrustAnchorCmd(Context& ctx) {
  po::options_description desc("Options");
  std::string expect_file, expected;
  desc.add_options()("expect", po::value<std::string>(&expect_file),
                     "a copy of the anchor kept out of band (e.g. from init, with the auditor); "
                     "exit 6 if this session's anchor differs");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "audit trust-anchor [--expect FILE]\n\n"
      "Prints the trust anchor pinned in your own keyring entry: the store\n"
      "authority's public key (base64) that every certificate your sessions rely\n"
      "on is checked against, and its fingerprint (SHA-256, to read aloud).  Any\n"
      "principal may run it.  With --expect, compares it with a copy kept out of\n"
      "band (init printed it) and exits 6 on a mismatch.  Example:\n"
      "  sspf-tool audit trust-anchor > anchor.txt       # once, kept offline\n"
      "  sspf-tool audit trust-anchor --expect anchor.txt",
      desc, {}, &exit, [&] { return ReadExpectedAnchor(expect_file, &expected); });
  if (!s) return exit;
  const TrustAnchorInfo anchor = s->TrustAnchor();
  if (!expected.empty() && expected != Base64(anchor.public_key)) {
    return Fail(ctx, IntegrityViolation(
                         "the trust anchor pinned in your keyring entry differs from the one "
                         "in the --expect file; do not use this store or keyring"));
  }
  return PrintDone(ctx,
                   TrustAnchorLines(anchor.public_key, "") + "store        " +
                       anchor.store_id + (expected.empty() ? "" : "\nmatches the --expect file"),
                   TrustAnchorJson(anchor));
}

int Verify(Context& ctx) {
  po::options_description desc("Options");
  std::string checkpoint;
  int exit = 0;
  VerifyOptions options;
  desc.add_options()("checkpoint", po::value<std::string>(&checkpoint),
                     "a checkpoint kept outside the store; the log must extend it")
      ("full", po::bool_switch(&options.full),
       "with --checkpoint: check every event's signature, not only those after it")
      ("witness-key", po::value<std::vector<std::string>>(&options.witness_keys),
       "a witness's verifier key (repeatable): the kept checkpoint must carry a valid "
       "cosignature by it");
  SessionHandle s =
      ParseAndOpen(ctx, "audit verify [--checkpoint FILE [--full] [--witness-key VKEY]...]\n\n"
                   "Recomputes the whole access log (every event, the Merkle tree, every\n"
                   "stored checkpoint, the replayed state) and, with --checkpoint, checks\n"
                   "that the log extends a checkpoint you kept.  With --checkpoint only the\n"
                   "events after it get their signatures checked (incremental); --full\n"
                   "checks them all.  Exit 0: intact; exit 6 with one line naming what\n"
                   "failed.  Example:\n"
                   "  sspf-tool --user eva.revisor audit verify --checkpoint kept-2026-11.txt",
                   desc, {}, &exit,
                   [&] { return ReadCheckpoint(checkpoint, &options.kept_checkpoint); });
  if (!s) return exit;
  options.progress = TerminalProgress(ctx, "verifying the access log");
  Result<VerifyReport> r = s->Verify(options);
  ClearProgress(ctx);
  const bool kept = options.kept_checkpoint.has_value();
  return Show(
      ctx, r, [&](const VerifyReport& v) { return VerifyReportJson(v, kept); },
      [&](const VerifyReport& v) {
        *ctx.out << "ok: " << v.tree_size << " events, root " << Base64(v.root) << ", "
                 << v.checkpoints_checked << " stored checkpoints checked, "
                 << v.events_checked << " events checked fully";
        if (kept) {
          *ctx.out << ", extends the kept checkpoint signed by principal "
                   << v.kept_checkpoint_signer;
        }
        for (const std::string& w : v.witnesses) *ctx.out << ", cosigned by witness " << w;
        *ctx.out << "\n";
      });
}

int Prove(Context& ctx) {
  po::options_description desc("Options");
  Count index;
  std::string checkpoint;
  desc.add_options()
      ("index", po::value<Count>(&index)->required(), "the event's sequence number")
      ("checkpoint", po::value<std::string>(&checkpoint),
       "prove inclusion in the tree of this checkpoint (default: the current tree)");
  int exit = 0;
  std::optional<std::string> note;
  SessionHandle s =
      ParseAndOpen(ctx, "audit prove --index N [--checkpoint FILE]\n\n"
                   "Prints an RFC 6962 inclusion proof of one event.  Example:\n"
                   "  sspf-tool --user eva.revisor audit prove --index 42 --checkpoint kept.txt",
                   desc, {}, &exit, [&] { return ReadCheckpoint(checkpoint, &note); });
  if (!s) return exit;
  return Show(ctx, s->Prove(index.value, note), InclusionProofJson, [&](const InclusionProof& p) {
    *ctx.out << "index " << p.index << "\ntree_size " << p.tree_size << "\nleaf_hash "
             << Base64(p.leaf_hash) << "\nroot " << Base64(p.root) << "\nproof\n";
    for (const auto& h : p.proof) *ctx.out << Base64(h) << "\n";
  });
}

int Consistency(Context& ctx) {
  po::options_description desc("Options");
  std::string from, to;
  desc.add_options()
      ("from", po::value<std::string>(&from)->required(), "the older checkpoint (signed note)")
      ("to", po::value<std::string>(&to)->required(), "the newer checkpoint (signed note)");
  int exit = 0;
  std::optional<std::string> old_note, new_note;
  SessionHandle s = ParseAndOpen(
      ctx, "audit consistency --from OLD --to NEW\n\n"
           "Prints the RFC 6962 consistency proof that the log of checkpoint OLD is a\n"
           "prefix of the log of checkpoint NEW (both signed by this store).  Example:\n"
           "  sspf-tool --user eva.revisor audit consistency --from nov.txt --to dec.txt",
      desc, {}, &exit, [&]() -> Status {
        SSPF_RETURN_IF_ERROR(ReadCheckpoint(from, &old_note));
        return ReadCheckpoint(to, &new_note);
      });
  if (!s) return exit;
  return Show(ctx, s->Consistency(*old_note, *new_note), ConsistencyProofJson,
              [&](const ConsistencyProof& p) {
                *ctx.out << "old_size " << p.old_size << "\nnew_size " << p.new_size
                         << "\nold_root " << Base64(p.old_root) << "\nnew_root "
                         << Base64(p.new_root) << "\nproof\n";
                for (const auto& h : p.proof) *ctx.out << Base64(h) << "\n";
              });
}

// audit export --tiles DIR: the log as a C2SP tlog-tiles directory.
int ExportTiles(Context& ctx, Session& s, const std::string& dir) {
  TileExportOptions o;
  o.dir = dir;
  o.verify_progress = TerminalProgress(ctx, "verifying the access log");
  auto write_progress = TerminalProgress(ctx, "writing tiles");
  bool writing = false;
  if (write_progress) {
    o.write_progress = [&](uint64_t done, uint64_t total) {
      if (!writing) ClearProgress(ctx);
      writing = true;
      write_progress(done, total);
    };
  }
  Result<TileExportReport> r = s.ExportTiles(o);
  ClearProgress(ctx);
  return Show(ctx, r, TileExportJson, [&](const TileExportReport& t) {
    *ctx.out << "exported " << t.tree_size << " events as tlog-tiles to " << t.dir << ": "
             << t.tiles << " hash tiles, " << t.entry_bundles << " entry bundles, root "
             << Base64(t.root) << "\n";
  });
}

int Export(Context& ctx) {
  po::options_description desc("Options");
  std::string format, tiles;
  FilterArgs fa;
  desc.add_options()("format", po::value<std::string>(&format), "jsonl | csv")
      ("tiles", po::value<std::string>(&tiles),
       "write the whole log as a C2SP tlog-tiles directory DIR (new or empty) instead");
  fa.Add(desc);
  int exit = 0;
  ExportFormat f = ExportFormat::kJsonLines;
  AuditFilter filter;
  SessionHandle s =
      ParseAndOpen(ctx, "audit export --format jsonl|csv [filters] | --tiles DIR\n\n"
                   "Writes the access log to stdout: one JSON object per line (jsonl) or CSV\n"
                   "with a header row.  Each event carries its exact leaf bytes (base64), so\n"
                   "tools/verify_export.py (installed as sspf-verify-export) can recompute the\n"
                   "Merkle root independently.\n"
                   "With --tiles DIR: verifies the log, signs a checkpoint and writes the whole\n"
                   "log as static C2SP tlog-tiles (DIR/checkpoint, DIR/tile/<L>/<N>, entry\n"
                   "bundles DIR/tile/entries/<N>) that Go's sumdb/tlog or any tlog-tiles\n"
                   "client verifies; DIR must be new or empty and appears whole or not at all;\n"
                   "exit 6 if the log does not verify.  See docs/auditing.md.  Examples:\n"
                   "  sspf-tool --user eva.revisor audit export --format jsonl > log.jsonl\n"
                   "  sspf-tool --user eva.revisor audit export --tiles tiles-2026-12",
                   desc, {}, &exit, [&]() -> Status {
                     if (!tiles.empty()) {
                       if (!format.empty()) {
                         return InvalidArgument("--tiles and --format exclude each other");
                       }
                       SSPF_RETURN_IF_ERROR(fa.Build(&filter));
                       if (filter.case_id || filter.subject_id || filter.principal ||
                           filter.action || filter.actor || filter.target || filter.allowed ||
                           filter.since || filter.until || filter.limit != 0) {
                         return InvalidArgument(
                             "--tiles exports the whole log: leave out the filters");
                       }
                       return Status::Ok();
                     }
                     if (format.empty()) {
                       return InvalidArgument("give --format jsonl|csv or --tiles DIR");
                     }
                     if (format == "csv") {
                       f = ExportFormat::kCsv;
                     } else if (format != "jsonl") {
                       return InvalidArgument("unknown --format (use jsonl or csv)");
                     }
                     return fa.Build(&filter);
                   });
  if (!s) return exit;
  if (!tiles.empty()) return ExportTiles(ctx, *s, tiles);
  std::ostream* out = ctx.out;
  Status st = s->ExportEvents(filter, f, [out](std::string_view line) {
    out->write(line.data(), static_cast<std::streamsize>(line.size()));
    out->put('\n');
    return *out ? Status::Ok() : IoError("cannot write to stdout");
  });
  out->flush();
  if (!st.ok()) return Fail(ctx, st);
  return kExitOk;
}

int Query(Context& ctx) {
  po::options_description desc("Options");
  FilterArgs fa;
  fa.Add(desc);
  Count seq, around, radius;
  desc.add_options()
      ("seq", po::value<Count>(&seq), "only the event with this sequence number")
      ("around", po::value<Count>(&around),
       "the events around this sequence number (see --radius)")
      ("radius", po::value<Count>(&radius), "with --around: this many events on each side, "
                                            "0 to 1000 (default 5)");
  int exit = 0;
  AuditFilter filter;
  auto build = [&]() -> Status {
    SSPF_RETURN_IF_ERROR(fa.Build(&filter));
    if (seq.given && around.given) return InvalidArgument("--seq and --around exclude each other");
    if (radius.given && !around.given) return InvalidArgument("--radius needs --around");
    if (radius.given && radius.value > 1000) return InvalidArgument("--radius must be 0 to 1000");
    if (seq.given) {
      filter.seq_from = seq.value;
      filter.seq_to = seq.value;
    }
    if (around.given) {
      const uint64_t r = radius.given ? radius.value : 5;
      filter.seq_from = around.value > r ? around.value - r : 0;
      filter.seq_to = around.value > UINT64_MAX - r ? UINT64_MAX : around.value + r;
    }
    return Status::Ok();
  };
  SessionHandle s = ParseAndOpen(
      ctx,
      "audit query [--case ID] [--subject ID] [--principal NAME] [--action X]\n"
      "            [--actor A] [--target T] [--denied|--allowed] [--since T]\n"
      "            [--until T] [--limit N]\n"
      "            [--seq N | --around N [--radius R]]\n\n"
      "Lists access-log events (auditor), each with the principal's name and id.\n"
      "The principal filter is --principal, because --user names who you are.\n"
      "--seq N shows one event (exit 4 past the end of the log); --around N the\n"
      "events N-R to N+R (exit 4 when N-R is past the end).  Examples:\n"
      "  sspf-tool --user eva.revisor audit query --principal per.polis --denied \\\n"
      "      --since 2026-11-01\n"
      "  sspf-tool --user eva.revisor audit query --around 812",
      desc, {}, &exit, build);
  if (!s) return exit;
  return Show(ctx, s->QueryEvents(filter), EventListJson,
              [&](const std::vector<AuditEvent>& events) {
                *ctx.out << "seq\ttime\tprincipal\tprincipal_id\tactor\taction\ttarget\t"
                            "decision\treason\tcase\n";
                for (const AuditEvent& e : events) {
                  *ctx.out << e.seq << "\t" << FormatTime(e.time) << "\t"
                           << (e.principal_name.empty() ? "-" : e.principal_name) << "\t"
                           << e.principal_id << "\t" << NameOr(ActorName(e.actor), static_cast<int>(e.actor))
                           << "\t" << NameOr(ActionName(e.action), static_cast<int>(e.action))
                           << "\t" << e.target << "\t" << (e.allowed ? "allow" : "deny")
                           << "\t" << e.reason << "\t" << (e.case_id.empty() ? "-" : e.case_id)
                           << "\n";
                }
              });
}

// audit extract --format text|html|json: the loggutdrag for the family.
int ExtractReport(Context& ctx, Session& s, const std::string& subject, const std::string& format,
                  const std::string& lang, const std::string& since, const std::string& until,
                  const std::string& out_file, TextArg& name) {
  ExtractOptions o;
  // Swedish is the default for the page a family is given; text and JSON
  // default to English like the rest of sspf-tool's output.
  std::string language = lang.empty() ? (format == "html" ? "sv" : "en") : lang;
  Status st = [&]() -> Status {
    std::optional<ReportLanguage> l = ParseReportLanguage(language);
    if (!l) return InvalidArgument("unknown --lang (use sv or en)");
    o.language = *l;
    if (!since.empty()) { SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(since)); o.since = t; }
    if (!until.empty()) { SSPF_ASSIGN_OR_RETURN(UnixSeconds t, ParseTime(until)); o.until = t; }
    return Status::Ok();
  }();
  if (!st.ok()) return Fail(ctx, st);
  o.youth_name = name.value();
  Result<LogExtract> x = s.ExtractSubjectReport(subject, o);
  Wipe(&o.youth_name);
  if (!x.ok()) return Fail(ctx, x.status());
  std::string doc = format == "html"   ? LogExtractHtml(*x)
                    : format == "json" ? LogExtractJson(*x)
                                       : LogExtractText(*x);
  Wipe(&x->youth_name);
  if (format == "json") doc += "\n";
  int rc = kExitOk;
  if (out_file.empty()) {
    *ctx.out << doc;
    ctx.out->flush();
  } else if (Status w = ::sspf::WriteFileAtomically(out_file, doc, 0600); !w.ok()) {
    rc = Fail(ctx, w);
  }
  Wipe(&doc);
  return rc;
}

int Extract(Context& ctx) {
  po::options_description desc("Options");
  std::string subject, format, lang, since, until, out_file;
  TextArg name("name", "Name of the youth");
  desc.add_options()("subject", po::value<std::string>(&subject)->required(), "the subject id")
      ("format", po::value<std::string>(&format),
       "text | html | json: the loggutdrag for the youth and the family, in plain words")
      ("lang", po::value<std::string>(&lang), "sv | en (default: sv for html, else en)")
      ("since", po::value<std::string>(&since), "from this time (inclusive): YYYY-MM-DD, "
                                                 "YYYY-MM-DDTHH:MM:SSZ or Unix seconds")
      ("until", po::value<std::string>(&until), "up to this time (exclusive)")
      ("out", po::value<std::string>(&out_file), "write the extract to this file (mode 0600)");
  name.AddTo(desc, "the youth's name for the header, as the family's request gives it");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "audit extract --subject ID [--format text|html|json] [--lang sv|en]\n"
                   "              [--name TEXT | --name-file F] [--since T] [--until T] [--out F]\n\n"
                   "Loggutdrag: every logged access to the youth's data, without any content.\n"
                   "Without --format: a table for the auditor (who, actor, when, action,\n"
                   "purpose, decision).  With --format: the extract a family is given, one\n"
                   "line per access in plain Swedish or English (Stockholm time), naming the\n"
                   "organisation and user, the basis (consent and by whom, a grant and its\n"
                   "provision) and refused or failed attempts; --name heads it (the store's\n"
                   "copy of the name is not read).  See docs/auditing.md.  Examples:\n"
                   "  sspf-tool --user eva.revisor audit extract --subject 3f2a9c\n"
                   "  sspf-tool --user eva.revisor audit extract --subject 3f2a9c --format html \\\n"
                   "      --name-file namn.txt --since 2026-01-01 --out loggutdrag.html",
                   desc, {}, &exit, [&]() -> Status {
                     if (!format.empty() && format != "text" && format != "html" &&
                         format != "json") {
                       return InvalidArgument("unknown --format (use text, html or json)");
                     }
                     if (format.empty() && (!lang.empty() || !since.empty() || !until.empty() ||
                                            !out_file.empty())) {
                       return InvalidArgument("--lang, --since, --until and --out need --format");
                     }
                     return ReadTextArgs({{&name, false}});
                   });
  if (!s) return exit;
  if (!format.empty()) {
    return ExtractReport(ctx, *s, subject, format, lang, since, until, out_file, name);
  }
  Result<std::vector<AuditEvent>> events = s->ExtractSubject(subject);
  if (!events.ok()) return Fail(ctx, events.status());
  // Names for the readable extract when the auditor may list principals.
  std::vector<PrincipalInfo> principals;
  if (Result<std::vector<PrincipalInfo>> ps = s->ListPrincipals(); ps.ok()) {
    principals = std::move(*ps);
  }
  if (ctx.globals.json) {
    PrintJson(ctx, SubjectExtractJson(subject, *events, principals));
    return kExitOk;
  }
  std::map<std::string, std::string> names;
  for (const PrincipalInfo& p : principals) names[p.id] = p.name;
  auto who = [&](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? id : it->second + " (" + id + ")";
  };
  *ctx.out << "Log extract (loggutdrag) for subject " << subject << ": " << events->size()
           << " events\n";
  *ctx.out << "when\twho\tactor\taction\tpurpose\tdecision\n";
  for (const AuditEvent& e : *events) {
    *ctx.out << FormatTime(e.time) << "\t" << who(e.principal_id) << "\t"
             << NameOr(ActorName(e.actor), static_cast<int>(e.actor)) << "\t"
             << NameOr(ActionName(e.action), static_cast<int>(e.action)) << "\t"
             << (e.purpose.empty() ? "-" : e.purpose) << "\t"
             << (e.allowed ? "allowed" : "denied") << "\n";
  }
  return kExitOk;
}

int Principals(Context& ctx) {
  po::options_description desc("Options");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "audit principals\n\n"
      "Lists every version of every principal's certificate (auditor): the Ed25519\n"
      "signing key, the certificate bytes and the store authority's signature of\n"
      "them (base64).  With audit export it lets you check each event's signature\n"
      "without sspf-tool; see docs/auditing.md.  Text: one line per certificate.\n"
      "Example:\n"
      "  sspf-tool --json audit principals > certificates.json\n"
      "  sspf-tool audit export --format jsonl > log.jsonl\n"
      "  python3 tools/verify_signatures.py log.jsonl certificates.json --anchor anchor.txt",
      desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListCertificates(), PrincipalCertificateListJson,
              [&](const std::vector<PrincipalCertificate>& certs) {
                *ctx.out << "principal\tversion\tname\tactor\trole\tstatus\tsigning_key\n";
                for (const PrincipalCertificate& c : certs) {
                  *ctx.out << c.principal_id << "\t" << c.version << "\t" << c.name << "\t"
                           << NameOr(ActorName(c.actor), static_cast<int>(c.actor)) << "\t"
                           << NameOr(RoleName(c.role), static_cast<int>(c.role)) << "\t"
                           << (c.active ? "active" : "disabled") << "\t"
                           << Base64(c.signing_key) << "\n";
                }
              });
}

}  // namespace

void RegisterAuditCommands() {
  RegisterCommand({"audit checkpoint", "sign a checkpoint of the access log (auditor)", Checkpoint});
  RegisterCommand({"audit verifier-key", "print the public key that signs checkpoints",
                   VerifierKeyCmd});
  RegisterCommand({"audit trust-anchor",
                   "print [or check] the trust anchor pinned in your keyring entry",
                   TrustAnchorCmd});
  RegisterCommand({"audit verify", "verify the whole access log [against a kept checkpoint]",
                   Verify});
  RegisterCommand({"audit prove", "inclusion proof of one event", Prove});
  RegisterCommand({"audit consistency", "consistency proof between two checkpoints",
                   Consistency});
  RegisterCommand({"audit export", "export the access log as JSON lines, CSV or tlog-tiles",
                   Export});
  RegisterCommand({"audit query", "list access-log events by case, subject, principal, ...",
                   Query});
  RegisterCommand({"audit extract", "log extract (loggutdrag) for one subject", Extract});
  RegisterReviewCommands();
  RegisterCommand({"audit principals",
                   "every principal's certificates and signing keys (auditor)", Principals});
}

}  // namespace sspf::cli
