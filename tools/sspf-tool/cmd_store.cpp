// Store and principal commands: init, whoami, user add|list|disable|passwd,
// recover, key rotate|rewrap|rekey.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "cli.h"

namespace sspf::cli {
namespace {

// The recovery key as 16 groups of 4 hex digits.
std::string FormatRecoveryKey(const SecretBytes& key) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  const uint8_t* p = key.data(InsecureSecretAccess::Get());
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0 && i % 2 == 0) out += '-';
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

// Writes a recovery key (text) to a new file: O_EXCL|O_NOFOLLOW, mode
// 0600, synced before it returns.
Status WriteRecoveryKeyFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return IoError("cannot create the recovery key file (it must not exist yet): " +
                   std::string(std::strerror(errno)));
  }
  const std::string line = text + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return IoError("cannot write the recovery key file");
  }
  return Status::Ok();
}

Result<SecretBytes> ParseRecoveryKey(const SecretBytes& text) {
  std::string_view t = text.view(InsecureSecretAccess::Get());
  SSPF_ASSIGN_OR_RETURN(SecretBytes key, SecretBytes::Allocate(32));
  uint8_t* out = key.data(InsecureSecretAccess::Get());
  size_t n = 0;
  int half = -1;
  for (char c : t) {
    if (c == '-' || c == ' ') continue;
    int v = (c >= '0' && c <= '9') ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (v < 0) return InvalidArgument("the recovery key has a character that is not hex");
    if (half < 0) {
      half = v;
    } else {
      if (n >= 32) return InvalidArgument("the recovery key is too long (64 hex digits)");
      out[n++] = static_cast<uint8_t>(half << 4 | v);
      half = -1;
    }
  }
  if (n != 32 || half >= 0) return InvalidArgument("the recovery key must be 64 hex digits");
  return key;
}

// The --actor value of user add and key rotate.
Status ParseActorArg(const std::string& text, std::optional<Actor>* out) {
  *out = ParseActor(text);
  if (!*out) {
    return InvalidArgument("unknown actor (use school, social, police, leisure, coordination)");
  }
  return Status::Ok();
}

int Init(Context& ctx) {
  po::options_description desc("Options");
  std::string admin, new_file, recovery_out;
  desc.add_options()
      ("admin", po::value<std::string>(&admin)->required(), "name of the first admin principal")
      ("new-passphrase-file", po::value<std::string>(&new_file),
       "the admin's passphrase from this file (else --passphrase-file, else asked twice)")
      ("recovery-key-out", po::value<std::string>(&recovery_out),
       "write the recovery key to this new file (mode 0600) instead of stdout");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "init --admin NAME [options]\n\n"
                 "Creates a new encrypted store and its keyring (<store>.keyring) with\n"
                 "one admin principal, and prints the recovery key ONCE: write it down\n"
                 "and keep it in a safe.  It also prints the trust anchor (the store\n"
                 "authority's public key): keep a copy outside the store, e.g. with the\n"
                 "auditor, and compare with sspf-tool audit trust-anchor --expect.  Example:\n"
                 "  sspf-tool --store kommun.db init --admin anna.admin",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  if (new_file.empty()) new_file = ctx.globals.passphrase_file;
  Result<SecretBytes> pass = ReadNewPassphrase(new_file, admin);
  if (!pass.ok()) return Fail(ctx, pass.status());
  Result<StoreOptions> options = OptionsFor(ctx.globals);
  if (!options.ok()) return Fail(ctx, options.status());
  Result<InitResult> r =
      Store::Create(*options, admin, Credential::Passphrase(std::move(*pass)));
  if (!r.ok()) return Fail(ctx, r.status());
  std::string recovery = FormatRecoveryKey(r->recovery_key);
  if (!recovery_out.empty()) {
    if (!WriteRecoveryKeyFile(recovery_out, recovery).ok()) {
      // Under --json the document's non-null recovery_key says the same.
      if (!ctx.globals.json) {
        *ctx.err << "sspf-tool: the store was created but the recovery key file could not "
                    "be written; the key is printed below instead\n";
      }
      recovery_out.clear();
    }
  }
  if (ctx.globals.json) {
    std::optional<std::string_view> shown;
    if (recovery_out.empty()) shown = recovery;
    PrintSecretJson(ctx, InitJson(*r, shown));
  } else {
    *ctx.out << "Created store " << r->store_id << " at " << ctx.globals.store << "\n"
             << "Admin principal: " << admin << " (" << r->admin_id << ")\n";
    *ctx.out << "Trust anchor (pin it out of band; every principal can show it with\n"
                "sspf-tool audit trust-anchor):\n"
             << TrustAnchorLines(r->trust_anchor, "  ");
    if (recovery_out.empty()) {
      *ctx.out << "Recovery key (shown once; keep it offline, e.g. in a safe):\n  "
               << recovery << "\n";
    } else {
      *ctx.out << "Recovery key written to " << recovery_out << "\n";
    }
  }
  SecureWipe(recovery.data(), recovery.size());
  return kExitOk;
}

int Whoami(Context& ctx) {
  po::options_description desc("Options");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "whoami\n\nUnlocks the store and prints who you are (name, actor, "
                   "role).  Example:\n  sspf-tool --user sara.skola whoami", desc, {}, &exit);
  if (!s) return exit;
  const PrincipalInfo& p = s->principal();
  return PrintDone(ctx,
                   p.name + " (" + ActorName(p.actor) + ", " + RoleName(p.role) + ")",
                   PrincipalJson(p));
}

int Id(Context& ctx) {
  po::options_description desc("Options");
  std::string prefix;
  desc.add_options()("prefix", po::value<std::string>(&prefix)->required(),
                     "6 to 32 hex digits of an id");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx,
      "id PREFIX\n\nPrints the full id, and the kind of record (subject, guardian, case, "
      "consent,\nentry, disclosure, grant, purpose_note), that a prefix of at least 6 hex "
      "digits\nnames.  Every command takes such a prefix wherever it takes an id; an "
      "ambiguous\none is refused (exit 2) with the candidates.  Not logged: ids carry no "
      "personal\ndata.  Example:\n  sspf-tool id 7c1d04",
      desc, {"prefix"}, &exit);
  if (!s) return exit;
  Result<IdMatch> m = s->ResolveId(prefix);
  if (!m.ok()) {
    return m.status().code() == StatusCode::kInvalidArgument
               ? UsageError(ctx, m.status().message())
               : Fail(ctx, m.status());
  }
  return PrintDone(ctx, m->kind + " " + m->id, IdMatchJson(*m));
}

int UserAdd(Context& ctx) {
  po::options_description desc("Options");
  std::string name, actor, role, new_file;
  desc.add_options()
      ("name", po::value<std::string>(&name)->required(),
       "the new principal's name: ASCII letters A-Z a-z (no å, ä, ö), digits and "
       ". _ - @, at most 64")
      ("actor", po::value<std::string>(&actor)->required(),
       "school | social | police | leisure | coordination")
      ("role", po::value<std::string>(&role)->required(),
       "member | coordinator | auditor | admin")
      ("new-passphrase-file", po::value<std::string>(&new_file),
       "the new principal's passphrase from this file (else asked twice)");
  int exit = 0;
  std::optional<Actor> a;
  std::optional<Role> r;
  SessionHandle s =
      ParseAndOpen(ctx, "user add NAME --actor A --role R [--new-passphrase-file F]\n\n"
                   "Adds a principal (admin only).  Auditors and admins belong to actor\n"
                   "coordination.  Example:\n"
                   "  sspf-tool --user anna.admin user add per.polis --actor police --role member",
                   desc, {"name"}, &exit, [&] {
                     SSPF_RETURN_IF_ERROR(ParseActorArg(actor, &a));
                     r = ParseRole(role);
                     if (!r) {
                       return InvalidArgument(
                           "unknown role (use member, coordinator, auditor, admin)");
                     }
                     return Status::Ok();
                   });
  if (!s) return exit;
  Result<SecretBytes> pass = ReadNewPassphrase(new_file, name);
  if (!pass.ok()) return Fail(ctx, pass.status());
  Result<std::string> id = s->AddPrincipal(name, *a, *r, Credential::Passphrase(std::move(*pass)));
  if (!id.ok()) return Fail(ctx, id.status());
  return PrintDone(ctx, "Added " + name + " (" + actor + ", " + role + "): " + *id,
                   PrincipalAddedJson(*id, name, *a, *r));
}

int UserList(Context& ctx) {
  po::options_description desc("Options");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "user list\n\nLists principals (admins and auditors).  Example:\n"
           "  sspf-tool --user anna.admin user list --json", desc, {}, &exit);
  if (!s) return exit;
  return Show(ctx, s->ListPrincipals(), PrincipalListJson,
              [&](const std::vector<PrincipalInfo>& list) {
                for (const PrincipalInfo& p : list) {
                  *ctx.out << p.name << "\t" << ActorName(p.actor) << "\t" << RoleName(p.role)
                           << "\t" << (p.active ? "active" : "disabled") << "\t" << p.id
                           << "\n";
                }
              });
}

int StaffList(Context& ctx) {
  po::options_description desc("Options");
  std::string actor;
  desc.add_options()("actor", po::value<std::string>(&actor),
                     "only this actor: school, social, police, leisure or coordination");
  int exit = 0;
  std::optional<Actor> only;
  SessionHandle s = ParseAndOpen(
      ctx, "staff list [--actor A]\n\n"
      "Lists the active staff (members and coordinators) of each actor, to build a\n"
      "case team (coordinators and admins): name, actor, role and id, as each\n"
      "certificate says; no disabled principals and no history.  Logged as\n"
      "staff.list.  Example:\n"
      "  sspf-tool staff list --actor school",
      desc, {}, &exit, [&]() -> Status {
        if (actor.empty()) return Status::Ok();
        only = ParseActor(actor);
        if (!only) return InvalidArgument("--actor must be school, social, police, leisure or "
                                          "coordination");
        return Status::Ok();
      });
  if (!s) return exit;
  return Show(ctx, s->ListStaff(only), StaffListJson,
              [&](const std::vector<StaffMember>& list) {
                for (const StaffMember& m : list) {
                  *ctx.out << m.name << "\t" << ActorName(m.actor) << "\t" << RoleName(m.role)
                           << "\t" << m.id << "\n";
                }
              });
}

int UserDisable(Context& ctx) {
  po::options_description desc("Options");
  std::string name;
  desc.add_options()("name", po::value<std::string>(&name)->required(), "principal to disable");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "user disable NAME\n\nDisables a principal (never deletes: the log "
                   "refers to it).  Admin only.  Example:\n"
                   "  sspf-tool --user anna.admin user disable per.polis", desc, {"name"}, &exit);
  if (!s) return exit;
  Status st = s->DisablePrincipal(name);
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, "Disabled " + name, PrincipalDisabledJson(name));
}

int UserPasswd(Context& ctx) {
  po::options_description desc("Options");
  std::string new_file;
  desc.add_options()("new-passphrase-file", po::value<std::string>(&new_file),
                     "the new passphrase from this file (else asked twice)");
  int exit = 0;
  SessionHandle s =
      ParseAndOpen(ctx, "user passwd [--new-passphrase-file F]\n\n"
                   "Changes your own passphrase; the old one stops working at once.  Example:\n"
                   "  sspf-tool --user sara.skola user passwd --new-passphrase-file new.pw",
                   desc, {}, &exit);
  if (!s) return exit;
  Result<SecretBytes> pass = ReadNewPassphrase(new_file, ctx.globals.user);
  if (!pass.ok()) return Fail(ctx, pass.status());
  Status st = s->ChangeCredential(Credential::Passphrase(std::move(*pass)));
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, "Passphrase changed for " + ctx.globals.user,
                   PassphraseChangedJson(ctx.globals.user));
}

int Recover(Context& ctx) {
  po::options_description desc("Options");
  std::string name, key_file, new_file;
  desc.add_options()
      ("name", po::value<std::string>(&name)->required(), "principal whose passphrase to reset")
      ("recovery-key-file", po::value<std::string>(&key_file),
       "file holding the recovery key (else prompted without echo)")
      ("new-passphrase-file", po::value<std::string>(&new_file),
       "the new passphrase from this file (else asked twice)");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "recover NAME [--recovery-key-file F] [--new-passphrase-file F]\n\n"
                 "Sets a new passphrase for a principal with the recovery key printed at\n"
                 "init.  The principal gets a new key pair; its actor keys are delivered\n"
                 "again the next time another member of its actor unlocks; if it was the\n"
                 "only one of its actor holding them, no one can, and the entries sealed to\n"
                 "them can no longer be read (docs/cli.md).  Example:\n"
                 "  sspf-tool recover sara.skola --recovery-key-file recovery.key \\\n"
                 "      --new-passphrase-file new.pw",
                 desc, {"name"}, &vm, &exit)) {
    return exit;
  }
  Globals g = ctx.globals;
  g.passphrase_file = key_file;
  Result<SecretBytes> text = ReadPassphrase(g, "Recovery key: ");
  if (!text.ok()) return Fail(ctx, text.status());
  Result<SecretBytes> key = ParseRecoveryKey(*text);
  if (!key.ok()) return Fail(ctx, key.status());
  Result<SecretBytes> pass = ReadNewPassphrase(new_file, name);
  if (!pass.ok()) return Fail(ctx, pass.status());
  Result<StoreOptions> options = OptionsFor(ctx.globals);
  if (!options.ok()) return Fail(ctx, options.status());
  Status st = Store::ResetWithRecoveryKey(*options, *key, name,
                                          Credential::Passphrase(std::move(*pass)));
  if (st.code() == StatusCode::kWrongKey) {
    // The library's "wrong passphrase" names the credential of an unlock.
    const Status wrong(StatusCode::kWrongKey, "wrong recovery key");
    return ReportError(*ctx.err, ctx.globals.json, wrong, ExitCodeFor(wrong.code()),
                       "sspf-tool: wrong recovery key (check --recovery-key-file and --store)");
  }
  if (!st.ok()) return Fail(ctx, st);
  return PrintDone(ctx, "New passphrase set for " + name, RecoveryResetJson(name));
}

int Provisions(Context& ctx) {
  po::options_description desc("Options");
  po::variables_map vm;
  int exit = 0;
  if (!ParseArgs(ctx, "provisions [--json]\n\n"
                 "Lists the secrecy-breaking provisions (sekretessbrytande bestämmelser)\n"
                 "accepted for entry disclose --provision and grant emergency --provision,\n"
                 "with the rules the library enforces (docs/access-rules.md).  Name one by\n"
                 "its id or its citation.  Needs no store.  Example:\n"
                 "  SSPF_NON_AUTHORITIES=school sspf-tool provisions --json",
                 desc, {}, &vm, &exit)) {
    return exit;
  }
  Result<StoreOptions> options = OptionsFor(ctx.globals);
  if (!options.ok()) return Fail(ctx, options.status());
  if (ctx.globals.json) {
    PrintJson(ctx, LegalProvisionListJson(options->legal_provisions));
    return kExitOk;
  }
  for (const LegalProvision& p : options->legal_provisions) {
    std::ostream& o = *ctx.out;
    o << p.id << "  " << p.citation << (p.verified ? "" : "  (unverified)") << "\n"
      << "  " << p.summary << "\n";
    for (const ProvisionFlow& f : p.directions) {
      o << "  allows: " << JoinActors(f.from) << " -> " << JoinActors(f.to) << "\n";
    }
    if (p.subject_min_age > 0) o << "  subject from age " << p.subject_min_age << "\n";
    if (p.subject_age_under > 0) o << "  subject under " << p.subject_age_under << "\n";
    o << "  discloser must be a public authority: "
      << (p.requires_public_authority ? "yes" : "no") << "\n";
    if (p.recipient_must_be_authority) o << "  recipient must be a public authority\n";
    if (p.requires_balancing) o << "  needs a recorded balancing test (intresseavvägning)\n";
    if (p.default_duration_seconds > 0) {
      o << "  default duration " << p.default_duration_seconds / 86400 << " days\n";
    }
    if (p.max_duration_seconds > 0) {
      o << "  maximum duration " << p.max_duration_seconds / 86400 << " days\n";
    }
    if (p.in_force_from) o << "  in force from " << FormatDate(*p.in_force_from) << "\n";
    o << "  source: " << p.source << "\n";
  }
  return kExitOk;
}

int KeyRotate(Context& ctx) {
  po::options_description desc("Options");
  std::string actor;
  desc.add_options()("actor", po::value<std::string>(&actor)->required(),
                     "school | social | police | leisure | coordination");
  int exit = 0;
  std::optional<Actor> a;
  SessionHandle s = ParseAndOpen(
      ctx, "key rotate --actor A\n\n"
      "Makes a new version of actor A's key, certified by the store authority and\n"
      "sealed only to A's active members and coordinators (admin only; the admin\n"
      "never holds it).  Every new entry of A uses it; a principal disabled before\n"
      "the rotation cannot read them even with a copy of the old files.  Then let a\n"
      "member of A run 'key rewrap' to move the old entries to it.  Example:\n"
      "  sspf-tool --user anna.admin key rotate --actor school",
      desc, {}, &exit, [&] { return ParseActorArg(actor, &a); });
  if (!s) return exit;
  Result<int64_t> v = s->RotateActorKey(*a);
  if (!v.ok()) return Fail(ctx, v.status());
  return PrintDone(ctx, "Rotated the key of " + actor + " to version " + std::to_string(*v),
                   KeyRotatedJson(*a, *v));
}

int KeyRewrap(Context& ctx) {
  po::options_description desc("Options");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "key rewrap\n\n"
      "Re-seals every entry key of your actor held under an older key version to\n"
      "the newest version (members and coordinators; after 'key rotate').  Runs in\n"
      "batches, each committed and logged on its own: if it is interrupted, every\n"
      "entry stays readable and running it again finishes the job.  Shows progress\n"
      "on stderr when that is a terminal.  Example:\n"
      "  sspf-tool --user sara.skola key rewrap",
      desc, {}, &exit);
  if (!s) return exit;
  Result<uint64_t> n = s->RewrapEntryKeys(TerminalProgress(ctx, "re-sealing entry keys"));
  ClearProgress(ctx);
  if (!n.ok()) return Fail(ctx, n.status());
  const Actor a = s->principal().actor;
  return PrintDone(ctx,
                   "Re-sealed " + std::to_string(*n) + " entry keys of " + ActorName(a) +
                       " to the newest key version",
                   EntryKeysRewrappedJson(a, *n));
}

int KeyRekey(Context& ctx) {
  po::options_description desc("Options");
  std::string recovery_out;
  desc.add_options()("recovery-key-out", po::value<std::string>(&recovery_out),
                     "write the new recovery key to this new file (mode 0600) instead of "
                     "stdout (required with --json)");
  int exit = 0;
  SessionHandle s = ParseAndOpen(
      ctx, "key rekey [--recovery-key-out FILE]\n\n"
      "Gives the store a new root key (admin only): every page gets a new SQLCipher\n"
      "key, every active principal receives the new root key sealed to its certified\n"
      "key (passphrases stay as they are), and there is a new recovery key; the old\n"
      "recovery key and every copy of an older keyring stop opening the store.  Use\n"
      "it after disabling someone who may have copied the keyring.  Close every other\n"
      "session of the store first (it needs the store alone).\n\n"
      "The new recovery key is shown (or written to FILE) before the store changes.\n"
      "Keep the OLD recovery key until this command says 'rekey complete': if it is\n"
      "interrupted after showing the new key, the next open of the store by anyone\n"
      "finishes the rekey and the new key counts; if it is interrupted before, nothing\n"
      "changed.  Shows progress on stderr when that is a terminal.  Example:\n"
      "  sspf-tool --user anna.admin key rekey --recovery-key-out /media/safe/ny-nyckel.txt",
      desc, {}, &exit, [&]() -> Status {
        if (ctx.globals.json && recovery_out.empty()) {
          return InvalidArgument("with --json, give --recovery-key-out FILE for the new "
                                 "recovery key");
        }
        if (!recovery_out.empty() && ::access(recovery_out.c_str(), F_OK) == 0) {
          return InvalidArgument("the recovery key file already exists; give a new path "
                                 "(it must not exist yet)");
        }
        return Status::Ok();
      });
  if (!s) return exit;
  auto progress = TerminalProgress(ctx, "rekeying the store");
  Result<RekeyResult> r = s->RekeyStore(
      [&](const SecretBytes& key) -> Status {
        std::string text = FormatRecoveryKey(key);
        Status kept = Status::Ok();
        if (!recovery_out.empty()) {
          kept = WriteRecoveryKeyFile(recovery_out, text);
        } else {
          ClearProgress(ctx);
          *ctx.out << "New recovery key (keep it offline; it counts once the rekey "
                      "completes):\n  "
                   << text << "\n"
                   << std::flush;
          if (!*ctx.out) kept = IoError("cannot show the new recovery key");
        }
        SecureWipe(text.data(), text.size());
        return kept;
      },
      progress);
  ClearProgress(ctx);
  if (!r.ok()) return Fail(ctx, r.status());
  std::string text = "rekey complete: keyring generation " + std::to_string(r->generation) +
                     " for " + std::to_string(r->principals) +
                     " principals; the old recovery key no longer opens the store";
  if (!recovery_out.empty()) text += " (the new one is in " + recovery_out + ")";
  return PrintDone(ctx, text, StoreRekeyedJson(*r));
}

}  // namespace

void RegisterStoreCommands() {
  RegisterCommand({"init", "create a new store and keyring; prints the recovery key once", Init});
  RegisterCommand({"provisions", "list the legal provisions and their rules", Provisions});
  RegisterCommand({"whoami", "print your name, actor and role", Whoami});
  RegisterCommand({"id", "the full id and kind of record an id prefix names", Id});
  RegisterCommand({"user add", "add a principal (admin)", UserAdd});
  RegisterCommand({"user list", "list principals (admin, auditor)", UserList});
  RegisterCommand({"staff list", "the active staff of each actor (coordinator)", StaffList});
  RegisterCommand({"user disable", "disable a principal (admin)", UserDisable});
  RegisterCommand({"user passwd", "change your own passphrase", UserPasswd});
  RegisterCommand({"recover", "reset a passphrase with the recovery key", Recover});
  RegisterCommand({"key rotate", "make a new actor-key version for new entries (admin)",
                   KeyRotate});
  RegisterCommand({"key rewrap", "re-seal your actor's old entry keys to its newest key",
                   KeyRewrap});
  RegisterCommand({"key rekey", "give the store a new root key and recovery key (admin)",
                   KeyRekey});
}

}  // namespace sspf::cli
